/** The subgraphs as the router sees them: their URLs (overrides applied), the auth subgraph's signing keys, health and readiness. */
import { runReadinessChecks, type ReadinessCheck } from '@pyairtable/common/http';
import type { RequestHandler } from 'express';
import { isSubgraphName, subgraphUrlSetting } from '@pyairtable/common/subgraphs';
import type { RouterConfig } from './config.js';
import type { SubgraphEntry } from './supergraph.js';

/** Each subgraph's GraphQL URL: the supergraph's routing_url unless a setting overrides it. */
export function subgraphUrls(subgraphs: readonly SubgraphEntry[], config: RouterConfig): Map<string, string> {
  const urls = new Map<string, string>();
  for (const { name, url } of subgraphs) {
    const effectiveUrl = (isSubgraphName(name) ? config[subgraphUrlSetting(name)] : undefined) ?? url;
    if (effectiveUrl) urls.set(name, effectiveUrl);
  }
  return urls;
}

/** The base of a subgraph's GraphQL URL, where /health, /ready and the JWKS live. */
export function serviceBase(graphqlUrl: string): string {
  return graphqlUrl.replace(/\/graphql\/?$/, '');
}

/** Where the auth subgraph publishes its signing keys: AUTH_JWKS_URL, else next to the auth subgraph's /graphql. */
export function signingKeysUrl(config: RouterConfig, urls: Map<string, string>): string {
  const authUrl = urls.get('auth');
  const jwksUrl = config.AUTH_JWKS_URL ?? (authUrl ? `${serviceBase(authUrl)}/.well-known/jwks.json` : undefined);
  if (!jwksUrl) throw new Error('The supergraph has no auth subgraph; set AUTH_JWKS_URL');
  return jwksUrl;
}

/** A subgraph that answers but lacks a dependency of its own (its health says "degraded"). */
const DEGRADED = 'degraded';

async function expectOk(url: string): Promise<void> {
  const response = await fetch(url, { signal: AbortSignal.timeout(2_000) });
  if (response.ok) return;
  const body: unknown = await response.json().catch(() => undefined);
  const status = typeof body === 'object' && body !== null && 'status' in body ? body.status : undefined;
  throw new Error(status === DEGRADED ? DEGRADED : `HTTP ${response.status}`);
}

/** A check's outcome as /health names it: ok, degraded (answers, a dependency of its own is down) or down. */
function serviceStatus(outcome: string): 'ok' | 'degraded' | 'down' {
  if (outcome === 'ok') return 'ok';
  return outcome === `down: ${DEGRADED}` ? 'degraded' : 'down';
}

export function subgraphChecks(urls: Map<string, string>, path: '/health' | '/ready'): ReadinessCheck[] {
  return [...urls].map(([name, url]) => ({ name, check: () => expectOk(`${serviceBase(url)}${path}`) }));
}

/** Where the auth subgraph serves its record of revocations to routers. */
export function revocationFeedUrl(urls: Map<string, string>): string {
  const authUrl = urls.get('auth');
  if (!authUrl) throw new Error('The supergraph has no auth subgraph: the router has nowhere to read revocations from');
  return `${serviceBase(authUrl)}/internal/revocations`;
}

/** GET /health: ok only when every subgraph and Redis are; otherwise 503 "degraded" naming what is down. */
export function aggregatedHealth(checks: ReadinessCheck[]): RequestHandler {
  return async (_request, response) => {
    const result = await runReadinessChecks(checks);
    const services = Object.fromEntries(Object.entries(result.checks).map(([name, status]) => [name, serviceStatus(status)]));
    response.status(result.ready ? 200 : 503).json({ status: result.ready ? 'ok' : 'degraded', services });
  };
}
