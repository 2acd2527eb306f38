import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from '@jest/globals';
import { applyApolloTelemetrySetting, gatewayWouldReportToApollo } from '@pyairtable/router/config';
import { graphql, register } from '../support/client.js';
import { useGraph } from '../support/use-graph.js';
import { startProcess } from '../support/processes.js';
import { itemAt } from '../support/defined.js';

const RECORDER = new URL('../support/outbound-requests.mjs', import.meta.url);

/** The HTTP requests a process reported through the recorder, as "<client> <origin>". */
function outboundRequests(output: string): Array<{ client: string; origin: string }> {
  return [...output.matchAll(/^outbound-request (\S+) (\S+)$/gm)].map((match) => ({
    client: itemAt(match, 1, 'the client of an outbound-request line'),
    origin: itemAt(match, 2, 'the origin of an outbound-request line'),
  }));
}

describe('Apollo telemetry', () => {
  const graph = useGraph();

  it('is off by default: the router, started as deployed without the setting, talks only to its subgraphs', async () => {
    const router = await startProcess(
      'router/src/main.ts',
      {
        ...process.env,
        ...graph.env,
        // What a deployment that never heard of the setting gives the router (the test run itself sets it).
        APOLLO_TELEMETRY_DISABLED: undefined,
        NODE_OPTIONS: `--import=${fileURLToPath(RECORDER)}`,
        PORT: '0',
        LOG_LEVEL: 'info',
        SUBGRAPH_URL_AUTH: `${graph.subgraphUrls.auth}/graphql`,
        SUBGRAPH_URL_USERS: `${graph.subgraphUrls.users}/graphql`,
        SUBGRAPH_URL_WORKSPACES: `${graph.subgraphUrls.workspaces}/graphql`,
      },
      ({ msg, url }) => (msg === 'router listening' && typeof url === 'string' ? url : undefined),
    );
    try {
      const user = await register(router.url);
      const me = await graphql(router.url, '{ me { id } }', {}, { token: user.accessToken });
      expect(me.body).toEqual({ data: { me: { id: user.user.id } } });
      expect((await fetch(`${router.url}/health`)).status).toBe(200);
    } finally {
      // The gateway's telemetry, when on, reports as it shuts down.
      expect(await router.stop()).toBe(0);
    }

    const requests = outboundRequests(router.output());
    const subgraphOrigins = new Set(Object.values(graph.subgraphUrls).map((url) => new URL(url).origin));
    // The recorder saw the router's own requests, all through undici (the gateway's subgraph fetches, /health's
    // checks, the signing keys), to every subgraph…
    expect(new Set(requests.map(({ client }) => client))).toEqual(new Set(['fetch']));
    expect(new Set(requests.map(({ origin }) => origin))).toEqual(subgraphOrigins);
    // …and nothing but the subgraphs, by any client (node:http is what cloud detectors and exporters use): no cloud
    // metadata probe, no report to Apollo.
    expect(requests.filter(({ origin }) => !subgraphOrigins.has(origin))).toEqual([]);
  });
});

describe('the setting, as handed to the gateway', () => {
  const applied = (value: string | undefined) => {
    const env: NodeJS.ProcessEnv = value === undefined ? {} : { APOLLO_TELEMETRY_DISABLED: value };
    applyApolloTelemetrySetting(env);
    return env['APOLLO_TELEMETRY_DISABLED'];
  };

  it('turns the gateway’s telemetry off when unset or set to any spelling of true', () => {
    for (const value of [undefined, 'true', 'TRUE', 'yes', '1']) {
      expect(applied(value)).toBe('true');
      expect(gatewayWouldReportToApollo({ APOLLO_TELEMETRY_DISABLED: applied(value) })).toBe(false);
    }
  });

  it('leaves it on when asked for, and an invalid value for the settings to refuse', () => {
    expect(applied('false')).toBe('false');
    expect(gatewayWouldReportToApollo({ APOLLO_TELEMETRY_DISABLED: 'false' })).toBe(true);
    expect(applied('maybe')).toBe('maybe');
  });
});

describe('the gateway’s footprint', () => {
  // patches/@apollo+gateway+*.patch (applied by the root postinstall and the router image): @apollo/gateway loads its
  // usage-telemetry stack (four cloud detectors, an OTLP exporter), its default fetcher and composition at import,
  // though this router uses none of them: about 20 MB of the router's resident memory under load.
  it('loads neither its usage telemetry, nor make-fetch-happen, nor composition until something uses them', async () => {
    const script = `
      const gateway = require('@apollo/gateway');
      const loaded = () => Object.keys(require.cache).filter((file) => /node_modules\\/(@opentelemetry\\/(resource|sdk-metrics|exporter|semantic)|make-fetch-happen|@apollo\\/composition)/.test(file)).length;
      const atImport = loaded();
      const source = new gateway.RemoteGraphQLDataSource({ url: 'http://127.0.0.1:9/graphql' });
      console.log(JSON.stringify({ atImport, fetcher: typeof source.fetcher, afterUse: loaded() }));`;
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', script], { cwd: fileURLToPath(new URL('../../router', import.meta.url)) });
    const footprint = JSON.parse(stdout) as { atImport: number; fetcher: string; afterUse: number };
    expect(footprint.atImport).toBe(0);
    // The default fetcher still works when a data source asks for it.
    expect(footprint.fetcher).toBe('function');
    expect(footprint.afterUse).toBeGreaterThan(0);
  });
});
