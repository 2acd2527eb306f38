/**
 * A PostgreSQL restart under light load (API.md, "Availability of Redis and PostgreSQL"), on a cluster of this file's
 * own: clients see SERVICE_UNAVAILABLE while it is away, never INTERNAL_SERVER_ERROR, and the services recover
 * without being restarted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { graphql, login, register, type GraphQLResponse } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { startGraph, type TestGraph } from '../support/graph.js';
import { startOwnPostgres, type OwnPostgres } from '../support/own-servers.js';

let postgres: OwnPostgres;
let graph: TestGraph;

beforeAll(async () => {
  postgres = await startOwnPostgres();
  // The load signs in over and over: throttles out of its way.
  graph = await startGraph({ DATABASE_URL: postgres.url, THROTTLE_LOGIN_PER_EMAIL: '100000/1m', THROTTLE_LOGIN_PER_IP: '100000/1m' });
}, 120_000);

afterAll(async () => {
  await graph.close();
  await postgres.destroy();
});

/** What a client saw: "ok", or the error codes of the answer (or the HTTP status of one without a code). */
function outcome(response: GraphQLResponse<unknown>): string {
  if (response.body.errors === undefined) return 'ok';
  return response.body.errors
    .map((error) => {
      const code = error.extensions?.['code'];
      return typeof code === 'string' ? code : `HTTP ${response.status}`;
    })
    .join(',');
}

describe('PostgreSQL restarted under light load', () => {
  it.each(['fast', 'immediate'] as const)(
    '%s shutdown: only SERVICE_UNAVAILABLE and /health degraded while it is away, then recovery by itself',
    async (mode) => {
      const user = await register(graph.routerUrl, { displayName: 'Steady reader' });
      const seen = new Map<string, number>();
      let running = true;
      const client = async () => {
        while (running) {
          const answers = await Promise.all([
            graphql(graph.routerUrl, '{ me { email displayName workspaces { totalCount } } }', {}, { token: user.accessToken }),
            login(graph.routerUrl, user.user.email, user.password),
          ]);
          for (const answer of answers) seen.set(outcome(answer), (seen.get(outcome(answer)) ?? 0) + 1);
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      };
      const load = client();
      await new Promise((resolve) => setTimeout(resolve, 500));
      await postgres.stop(mode);
      const health = await fetch(`${graph.subgraphUrls.users}/health`);
      expect([health.status, await health.json()]).toEqual([503, { status: 'degraded', down: ['database'] }]);
      expect((await fetch(`${graph.subgraphUrls.users}/ready`)).status).toBe(503);
      expect((await fetch(`${graph.routerUrl}/ready`)).status).toBe(200);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      await postgres.start();
      const backAt = Date.now();
      const recovered = await eventually(
        () => graphql(graph.routerUrl, '{ me { displayName } }', {}, { token: user.accessToken }),
        (response) => outcome(response) === 'ok',
        20_000,
      );
      const recoveryMs = Date.now() - backAt;
      running = false;
      await load;

      expect(outcome(recovered)).toBe('ok');
      expect((await login(graph.routerUrl, user.user.email, user.password)).body.errors).toBeUndefined();
      const outcomes = [...seen.keys()];
      expect(outcomes).toContain('SERVICE_UNAVAILABLE');
      expect(outcomes.filter((seenOutcome) => !/^(ok|SERVICE_UNAVAILABLE(,SERVICE_UNAVAILABLE)*)$/.test(seenOutcome))).toEqual([]);
      console.log(`PostgreSQL ${mode} restart: answers ${JSON.stringify(Object.fromEntries(seen))}; recovered ${recoveryMs} ms after it was back`);
    },
  );
});
