import { describe, expect, it } from '@jest/globals';
import { useChromium } from '../support/browser.js';
import { useGraph } from '../support/use-graph.js';
import { errorCodes, graphql, register } from '../support/client.js';
import { eventually } from '../support/eventually.js';

describe('in development', () => {
  // Declared before the graph, so the browser closes (and lets go of its connections) before the graph does.
  const chromium = useChromium();
  const graph = useGraph({ ENABLE_SANDBOX: 'true', ENABLE_INTROSPECTION: 'true' });

  it('shows Apollo Sandbox to a browser on GET /graphql, with a CSP that lets it load', async () => {
    const response = await fetch(`${graph.routerUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('embeddable-sandbox.cdn.apollographql.com');
    expect(response.headers.get('content-security-policy')).toContain('https://embeddable-sandbox.cdn.apollographql.com');
  });

  it('answers Sandbox’s cross-origin preflight', async () => {
    const response = await fetch(`${graph.routerUrl}/graphql`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://sandbox.embed.apollographql.com',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,authorization',
      },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://sandbox.embed.apollographql.com');
  });

  it('serves a self-contained GraphiQL that runs a query with a pasted bearer token', async () => {
    const user = await register(graph.routerUrl);
    const page = await chromium.browser.newPage();
    const outsideRequests: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(graph.routerUrl) && !request.url().startsWith('data:') && !request.url().startsWith('blob:')) {
        outsideRequests.push(request.url());
      }
    });
    await page.goto(`${graph.routerUrl}/graphiql?query=${encodeURIComponent('{ sessions { current } }')}`);
    await page.fill('#bearer-token', user.accessToken);
    await page.locator('.graphiql-execute-button').click();
    const result = page.locator('.graphiql-response');
    const shown = await eventually(
      () => result.innerText(),
      (text) => text.includes('"current"'),
      20_000,
    );
    // The result pane is an editor: it renders spaces as no-break spaces.
    expect(JSON.parse(shown.replace(/\u00a0/g, ' '))).toEqual({ data: { sessions: [{ current: true }] } });
    expect(outsideRequests).toEqual([]);
    await page.close();
  });
});

describe('in production', () => {
  const graph = useGraph({ NODE_ENV: 'production' });

  it('turns the landing page, GraphiQL and introspection off by default', async () => {
    const landing = await fetch(`${graph.routerUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(await landing.text()).not.toContain('apollographql.com');
    expect((await fetch(`${graph.routerUrl}/graphiql`)).status).toBe(404);
    const introspection = await graphql(graph.routerUrl, '{ __schema { queryType { name } } }');
    expect(errorCodes(introspection)).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });

  it('sends security headers with every answer', async () => {
    const response = await fetch(`${graph.routerUrl}/health`);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(response.headers.get('x-powered-by')).toBeNull();
  });

  it('sends Strict-Transport-Security only to a request that came over TLS (by a trusted proxy’s X-Forwarded-Proto)', async () => {
    const hsts = async (headers: Record<string, string>) =>
      (await fetch(`${graph.routerUrl}/health`, { headers })).headers.get('strict-transport-security');
    expect(await hsts({})).toBeNull();
    expect(await hsts({ 'x-forwarded-proto': 'http' })).toBeNull();
    // The test graph trusts loopback (TRUST_PROXY), which is where this request comes from.
    expect(await hsts({ 'x-forwarded-proto': 'https' })).toMatch(/max-age=\d+/);
  });
});

describe('in production behind no trusted proxy', () => {
  const graph = useGraph({ NODE_ENV: 'production', TRUST_PROXY: 'false' });

  it('takes no client’s word that the request came over TLS', async () => {
    const response = await fetch(`${graph.routerUrl}/health`, { headers: { 'x-forwarded-proto': 'https' } });
    expect(response.headers.get('strict-transport-security')).toBeNull();
  });
});
