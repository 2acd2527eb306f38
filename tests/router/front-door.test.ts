// The router's front door as a newcomer meets it in `npm start`: the page at `/` linking every entry point, the
// REST docs (Swagger UI from the installed package) whose "Try it out" calls the router, and Sandbox's offline
// fallback pointing at GraphiQL; in production, `/` is a small JSON list of the entry points.
import { afterAll, describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { useChromium } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { useLocalGraphProcess } from '../support/local-graph.js';
import { useGraph } from '../support/use-graph.js';

describe('the front door of npm start, in a browser', () => {
  // Declared first, so the browser closes (and lets go of its connections) before the graph stops.
  const chromium = useChromium();
  const graph = useLocalGraphProcess();
  const outsideRequests: string[] = [];

  async function openPage(path: string): Promise<{ page: Page; policyViolations: string[] }> {
    const page = await chromium.browser.newPage();
    const policyViolations: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error' && message.text().includes('Content Security Policy')) policyViolations.push(message.text());
    });
    page.on('request', (request) => {
      const url = request.url();
      // blob: URLs are the page's own (GraphiQL's editor workers).
      if (!url.startsWith(graph.url) && !url.startsWith('data:') && !url.startsWith('blob:')) outsideRequests.push(url);
    });
    const response = await page.goto(`${graph.url}${path}`);
    expect(response?.status()).toBe(200);
    return { page, policyViolations };
  }

  it('shows a landing page at / that links every entry point and a first query, each link answering', async () => {
    const { page, policyViolations } = await openPage('/');
    const links = await page.locator('main a').evaluateAll((anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    expect(links).toEqual(
      expect.arrayContaining(['/graphiql', '/graphql', '/api/v1/docs', '/api/v1/openapi.json', '/health', '/metrics', '/dev/mailbox']),
    );
    for (const href of new Set(links)) {
      const answer = await fetch(`${graph.url}${href ?? ''}`, { headers: { accept: 'text/html' } });
      expect(`${href ?? ''} ${answer.status}`).toBe(`${href ?? ''} 200`);
    }
    expect(await page.locator('#first-query').innerText()).toContain('register(input:');

    await page.locator('a[href="/graphiql"]').first().click();
    await page.waitForURL(`${graph.url}/graphiql`);
    await page.locator('.graphiql-execute-button').waitFor();
    expect(policyViolations).toEqual([]);
    await page.close();
  });

  it('serves the REST docs offline at /api/v1/docs, and "Try it out" on GET /health answers 200', async () => {
    const { page, policyViolations } = await openPage('/api/v1/docs');
    const health = page.locator('#operations-default-Health');
    await health.locator('.opblock-summary').click();
    await health.locator('.try-out__btn').click();
    await health.locator('.execute').click();
    const status = await eventually(
      () => health.locator('.live-responses-table tr.response .response-col_status').first().innerText(),
      (text) => text.trim() !== '',
      20_000,
    );
    expect(status.trim()).toBe('200');
    expect(await health.locator('.live-responses-table tr.response .response-col_description').first().innerText()).toContain('"status"');
    // Every documented route is listed (by its operation).
    expect(await page.locator('.opblock').count()).toBeGreaterThan(20);
    expect(policyViolations).toEqual([]);
    await page.close();
  });

  it('gives Sandbox’s offline fallback a link to GraphiQL', async () => {
    const html = await (await fetch(`${graph.url}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(html).toContain('Apollo Sandbox cannot be loaded');
    expect(html).toContain('<a href="/graphiql">GraphiQL</a>');
  });

  afterAll(() => {
    // Nothing but the router is reached from these pages (Sandbox's CDN is not visited by these tests).
    expect(outsideRequests).toEqual([]);
  });
});

describe('the front door in production', () => {
  const graph = useGraph({ NODE_ENV: 'production' });

  it('answers / with a small JSON document naming the entry points, and still serves the REST docs', async () => {
    const answer = await fetch(`${graph.routerUrl}/`, { headers: { accept: 'text/html' } });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toContain('application/json');
    expect(await answer.json()).toEqual({
      name: 'PyAirtable Graph',
      graphql: '/graphql',
      rest: '/api/v1',
      openapi: '/api/v1/openapi.json',
      restDocs: '/api/v1/docs',
      jwks: '/.well-known/jwks.json',
      health: '/health',
    });
    expect((await fetch(`${graph.routerUrl}/api/v1/docs`)).status).toBe(200);
    expect((await fetch(`${graph.routerUrl}/api/v1/docs/assets/swagger-ui-bundle.js`)).status).toBe(200);
  });
});
