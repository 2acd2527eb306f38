/**
 * Metrics an operator can afford to scrape: label values bounded whatever clients send, and /metrics on a port of
 * its own (METRICS_PORT) so it need not be published with the API.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { graphql, signUp } from '../support/client.js';

/** The label sets of one metric's series, as "{…}" strings. */
function seriesOf(metrics: string, name: string): Set<string> {
  return new Set(metrics.split('\n').flatMap((line) => (line.startsWith(`${name}{`) ? [line.slice(name.length, line.lastIndexOf('}') + 1)] : [])));
}

describe('operation labels', () => {
  const graph = useGraph({ RATE_LIMIT_PER_MINUTE: '100000' });
  const scrape = async (url: string) => (await fetch(`${url}/metrics`)).text();
  /** Every series of the GraphQL request metrics, router and subgraphs together. */
  const allSeries = async () => {
    const series = new Set<string>();
    for (const [service, url] of Object.entries({ router: graph.routerUrl, ...graph.subgraphUrls })) {
      const metrics = await scrape(url);
      for (const name of ['graphql_requests_total', 'graphql_request_duration_seconds_count']) {
        for (const labels of seriesOf(metrics, name)) series.add(`${service} ${name}${labels}`);
      }
    }
    return series;
  };

  it('are the known operations’ names, "other" and "anonymous": fifty made-up names add no series anywhere', async () => {
    const user = await signUp(graph.routerUrl);
    const randomName = () => `Probe_${randomBytes(6).toString('hex')}`;
    const asClient = (name: string) =>
      graphql(graph.routerUrl, `query ${name} { me { id displayName workspaces { totalCount } } }`, {}, { token: user.token });
    // One of each kind first, so every series the kinds need exists.
    for (const primed of [
      await asClient(randomName()),
      await asClient('ProfileView'),
      await graphql(graph.routerUrl, '{ me { id } }', {}, { token: user.token }),
    ]) {
      expect(primed.body.errors).toBeUndefined();
    }
    const before = await allSeries();
    const others = async () => Number(/graphql_requests_total\{operation="other",outcome="ok"[^}]*\} (\d+)/.exec(await scrape(graph.routerUrl))?.[1]);
    const othersBefore = await others();

    for (let round = 0; round < 50; round += 1) await asClient(randomName());
    expect([...(await allSeries())].filter((series) => !before.has(series))).toEqual([]);
    expect(await others()).toBe(othersBefore + 50);

    const router = await scrape(graph.routerUrl);
    const operations = new Set([...seriesOf(router, 'graphql_requests_total')].map((labels) => /operation="([^"]*)"/.exec(labels)?.[1]));
    expect(operations).toEqual(new Set(['ProfileView', 'other', 'anonymous']));
    // The subgraphs label by root field: what the router asked each of them for.
    const subgraphLabels = async (url: string) =>
      new Set([...seriesOf(await scrape(url), 'graphql_requests_total')].map((labels) => /operation="([^"]*)"/.exec(labels)?.[1]));
    expect(await subgraphLabels(graph.subgraphUrls.users)).toEqual(new Set(['query.me']));
    expect(await subgraphLabels(graph.subgraphUrls.workspaces)).toEqual(new Set(['query._entities']));
  });
});

describe('METRICS_PORT', () => {
  const graph = useGraph({ METRICS_PORT: '0' });

  it('serves /metrics on a port of its own, in every service, and not on the main port', async () => {
    for (const [service, running] of Object.entries(graph.services)) {
      const main = new URL(service === 'router' ? graph.routerUrl : graph.subgraphUrls[service as keyof typeof graph.subgraphUrls]);
      expect([service, (await fetch(`${main.origin}/metrics`)).status]).toEqual([service, 404]);
      const metricsUrl = running.metricsUrl ?? `${main.origin} (no metrics port)`;
      expect([service, new URL(metricsUrl).port === main.port]).toEqual([service, false]);
      const metrics = await fetch(`${metricsUrl}/metrics`);
      expect([service, metrics.status]).toEqual([service, 200]);
      expect(await metrics.text()).toContain(`service="${service}"`);
      // Only metrics there: no GraphQL, no health.
      expect([service, (await fetch(`${metricsUrl}/graphql`)).status, (await fetch(`${metricsUrl}/ready`)).status]).toEqual([service, 404, 404]);
    }
  });
});
