/**
 * What the router answers at `/`: in development a small page linking every entry point (GraphiQL, Sandbox, the
 * REST docs, /health, /metrics, the mailbox) with a first query to copy; elsewhere a small JSON document naming the
 * API's entry points. And the REST docs: Swagger UI from the swagger-ui-dist package (no CDN), at /api/v1/docs.
 */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { escapeHtml } from '@pyairtable/common/mail';
import express, { Router, type RequestHandler } from 'express';

/** swagger-ui-dist's folder, found without loading its index (which would parse the whole bundle in Node). */
const SWAGGER_UI_ASSETS = dirname(createRequire(import.meta.url).resolve('swagger-ui-dist/package.json'));

export interface EntryPoints {
  productName: string;
  /** The page shows its links only when these are served. */
  sandbox: boolean;
  mailbox: boolean;
  /** /metrics is served on a port of its own (METRICS_PORT) rather than on this one. */
  metricsPort: number | undefined;
}

export const REST_DOCS_PATH = '/api/v1/docs';

/** The first query of README's "first ten minutes": register, which needs no token. */
const FIRST_QUERY = `mutation Register {
  register(input: { email: "ada@example.com", password: "correct horse battery", displayName: "Ada" }) {
    accessToken
    user { id displayName }
  }
}`;

const FIRST_CURL = `curl -s localhost:8000/graphql -H 'content-type: application/json' -d '{"query":
  "mutation { register(input: { email: \\"ada@example.com\\", password: \\"correct horse battery\\", displayName: \\"Ada\\" }) { accessToken user { id displayName } } }"}'`;

/** Inline styles and no script at all. */
export const LANDING_PAGE_CONTENT_SECURITY_POLICY = ["default-src 'none'", "style-src 'unsafe-inline'", "base-uri 'none'", "form-action 'none'"].join(
  '; ',
);

const STYLE = `
  body { font: 15px/1.5 -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif; margin: 0; color: #1f2328; background: #f6f8fa; }
  header { background: #24292f; color: #fff; padding: 12px 24px; font-weight: 600; }
  main { max-width: 880px; margin: 24px auto; padding: 0 24px; }
  ul { background: #fff; border: 1px solid #d0d7de; padding: 12px 32px; }
  li { margin: 4px 0; }
  a { color: #0969da; }
  pre { background: #fff; border: 1px solid #d0d7de; padding: 12px; overflow-x: auto; font-size: 13px; }
  .note { color: #57606a; }
`;

function link(href: string, label: string, note: string): string {
  return `<li><a href="${escapeHtml(href)}">${escapeHtml(label)}</a> <span class="note">— ${escapeHtml(note)}</span></li>`;
}

export function landingPageHtml(entry: EntryPoints): string {
  const links = [
    link('/graphiql', 'GraphiQL', 'explore and run queries; works offline (paste an access token at the top right)'),
    ...(entry.sandbox ? [link('/graphql', 'Apollo Sandbox', 'the same, richer; loads from Apollo’s CDN, so it needs the internet')] : []),
    link(REST_DOCS_PATH, 'REST API docs', 'the /api/v1 shim in Swagger UI, with “Try it out”'),
    link('/api/v1/openapi.json', 'OpenAPI document', 'the REST shim’s OpenAPI 3.1 description'),
    link('/health', '/health', 'the router and every subgraph'),
    entry.metricsPort === undefined
      ? link('/metrics', '/metrics', 'Prometheus metrics')
      : `<li>/metrics <span class="note">— Prometheus metrics, on port ${entry.metricsPort} (METRICS_PORT)</span></li>`,
    ...(entry.mailbox ? [link('/dev/mailbox', 'Development mailbox', 'the mail the services caught instead of sending, with its links')] : []),
  ];
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${escapeHtml(entry.productName)} Graph</title><style>${STYLE}</style></head>
<body>
<header>${escapeHtml(entry.productName)} Graph — development</header>
<main>
<p>One federated GraphQL API at <code>POST /graphql</code>, and a REST shim under <code>/api/v1</code>.</p>
<ul>
${links.join('\n')}
</ul>
<h2>A first query</h2>
<p>Paste it into <a href="/graphiql">GraphiQL</a>: it signs up an account and answers an access token for the next ones.</p>
<pre id="first-query">${escapeHtml(FIRST_QUERY)}</pre>
<p>Or from a terminal:</p>
<pre>${escapeHtml(FIRST_CURL)}</pre>
</main>
</body>
</html>`;
}

/** `/`: the page in development, the JSON list of entry points elsewhere (no HTML for a production API). */
export function frontDoor(development: boolean, entry: EntryPoints): RequestHandler {
  const html = landingPageHtml(entry);
  const entryPoints = {
    name: `${entry.productName} Graph`,
    graphql: '/graphql',
    rest: '/api/v1',
    openapi: '/api/v1/openapi.json',
    restDocs: REST_DOCS_PATH,
    jwks: '/.well-known/jwks.json',
    health: '/health',
  };
  return (_request, response) => {
    if (!development) {
      response.json(entryPoints);
      return;
    }
    response.setHeader('content-security-policy', LANDING_PAGE_CONTENT_SECURITY_POLICY);
    response.type('html').send(html);
  };
}

/** Swagger UI's scripts and styles from this router; its "Try it out" calls this router (connect-src 'self'). */
const REST_DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

const REST_DOCS_PAGE = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>REST API — Swagger UI</title><link rel="stylesheet" href="${REST_DOCS_PATH}/assets/swagger-ui.css"></head>
<body>
<div id="swagger-ui"></div>
<script src="${REST_DOCS_PATH}/assets/swagger-ui-bundle.js"></script>
<script src="${REST_DOCS_PATH}/start.js"></script>
</body>
</html>`;

// A script file rather than an inline one, so the page's policy allows no inline script.
const REST_DOCS_START = `window.ui = SwaggerUIBundle({ url: '/api/v1/openapi.json', dom_id: '#swagger-ui', deepLinking: true });`;

/** GET /api/v1/docs (Swagger UI on the OpenAPI document) and its assets, all from the installed package. */
export function restDocs(): Router {
  const router = Router();
  const withPolicy: RequestHandler = (_request, response, next) => {
    response.setHeader('content-security-policy', REST_DOCS_CONTENT_SECURITY_POLICY);
    next();
  };
  router.get(REST_DOCS_PATH, withPolicy, (_request, response) => void response.type('html').send(REST_DOCS_PAGE));
  router.get(`${REST_DOCS_PATH}/start.js`, (_request, response) => void response.type('text/javascript').send(REST_DOCS_START));
  router.use(`${REST_DOCS_PATH}/assets`, express.static(SWAGGER_UI_ASSETS, { index: false, maxAge: '1h' }));
  return router;
}
