// Preloaded into a process under test (NODE_OPTIONS=--import): writes one stderr line per HTTP request the
// process starts, "outbound-request <client> <origin>", so a test can tell whom the process talks to.
// Plain JavaScript, because node loads it before tsx is registered.
import { subscribe } from 'node:diagnostics_channel';

const report = (client, origin) => process.stderr.write(`outbound-request ${client} ${origin}\n`);

// node:http and node:https: OpenTelemetry's exporters and cloud detectors, and any client built on them.
subscribe('http.client.request.start', ({ request }) => report('http', `${request.protocol}//${request.getHeader('host')}`));
// undici: the global fetch, and the router's subgraph fetches (undici's pool).
subscribe('undici:request:create', ({ request }) => report('fetch', request.origin));
