import type { ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginLandingPageLocalDefault } from '@apollo/server/plugin/landingPage/default';
import type { RequestHandler } from 'express';

/** What Apollo's page shows when Sandbox cannot load (offline), and what it shows here instead. */
const SANDBOX_OFFLINE_TEXT = '<p>Apollo Sandbox cannot be loaded; it appears that you might be offline.</p>';
const SANDBOX_OFFLINE_HINT =
  '<p>Apollo Sandbox cannot be loaded; it appears that you might be offline. <a href="/graphiql">GraphiQL</a> works offline, and <a href="/">the start page</a> lists every entry point.</p>';

/** Apollo Sandbox, embedded in the page a browser gets from GET /graphql (it loads from Apollo's CDN). */
export function landingPage(enabled: boolean): ApolloServerPlugin {
  if (!enabled) return ApolloServerPluginLandingPageDisabled();
  const sandbox = ApolloServerPluginLandingPageLocalDefault({ embed: true, includeCookies: false });
  const withHint = (html: string) => html.replace(SANDBOX_OFFLINE_TEXT, SANDBOX_OFFLINE_HINT);
  return {
    async serverWillStart(service) {
      const listener = await sandbox.serverWillStart?.(service);
      if (!listener?.renderLandingPage) return listener;
      const render = listener.renderLandingPage.bind(listener);
      return {
        ...listener,
        async renderLandingPage() {
          const page = await render();
          const { html } = page;
          return { ...page, html: typeof html === 'string' ? withHint(html) : async () => withHint(await html()) };
        },
      };
    },
  };
}

/** The content security policy the embedded Sandbox needs; the JSON API keeps helmet's strict default. */
export const SANDBOX_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' https://embeddable-sandbox.cdn.apollographql.com https://apollo-server-landing-page.cdn.apollographql.com",
  "style-src 'self' 'unsafe-inline' https://apollo-server-landing-page.cdn.apollographql.com https://fonts.googleapis.com",
  "img-src 'self' data: https://apollo-server-landing-page.cdn.apollographql.com",
  "font-src 'self' data: https://fonts.gstatic.com",
  'frame-src https://sandbox.embed.apollographql.com',
  "connect-src 'self' https://*.apollographql.com",
  "manifest-src 'self' https://apollo-server-landing-page.cdn.apollographql.com",
].join('; ');

const GRAPHIQL_CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'unsafe-inline' 'unsafe-eval' blob:",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
].join('; ');

/**
 * A field for an access token, above GraphiQL: requests the page sends to /graphql carry it as a bearer
 * token. Kept in the page only (never stored), so closing the tab forgets it. The script goes into <head>
 * so it wraps fetch before GraphiQL starts.
 */
const TOKEN_SCRIPT = `
<style>
  #bearer-token-bar { position: fixed; top: 6px; right: 12px; z-index: 1000; font: 12px sans-serif; }
  #bearer-token-bar input { width: 22em; font: 12px monospace; }
</style>
<script>
  (() => {
    const originalFetch = window.fetch.bind(window);
    window.fetch = (input, init = {}) => {
      const field = document.getElementById('bearer-token');
      const token = field ? field.value.trim() : '';
      const url = typeof input === 'string' ? input : input.url;
      if (!token || !new URL(url, location.href).pathname.endsWith('/graphql')) return originalFetch(input, init);
      const headers = new Headers(init.headers || {});
      headers.set('authorization', 'Bearer ' + token);
      return originalFetch(input, { ...init, headers });
    };
  })();
</script>`;

const TOKEN_FIELD =
  '<div id="bearer-token-bar"><label>Bearer token <input id="bearer-token" type="password" autocomplete="off" placeholder="paste an access token"></label></div>';

/** Inserts `insertion` at the last occurrence of `marker` (the bundle's own code contains these tags too). */
function insertAtLast(html: string, marker: string, insertion: string): string {
  const index = html.lastIndexOf(marker);
  return `${html.slice(0, index)}${insertion}${html.slice(index)}`;
}

/** Where Apollo Sandbox runs when embedded: its requests come from these origins. */
export const SANDBOX_ORIGINS = ['https://sandbox.embed.apollographql.com', 'https://studio.apollographql.com'];

/**
 * A self-contained GraphiQL (no CDN), for exploring the graph offline. Its bundle is loaded on the first visit: held
 * as a string it is about 30 MB of heap, which a router that never serves the page should not carry.
 */
export function graphiqlPage(): RequestHandler {
  let page: Promise<string> | undefined;
  return async (_request, response) => {
    page ??= renderGraphiqlPage();
    const html = await page;
    response.setHeader('content-security-policy', GRAPHIQL_CONTENT_SECURITY_POLICY);
    response.type('html').send(html);
  };
}

async function renderGraphiqlPage(): Promise<string> {
  const { renderGraphiQL } = await import('@graphql-yoga/render-graphiql');
  const rendered = renderGraphiQL({
    endpoint: '/graphql',
    title: 'PyAirtable Graph — GraphiQL',
    defaultQuery: '# Paste an access token above, then try:\nquery Me {\n  me {\n    id\n    email\n    displayName\n  }\n}\n',
    isHeadersEditorEnabled: true,
  });
  const headEnd = rendered.indexOf('</head>');
  return insertAtLast(`${rendered.slice(0, headEnd)}${TOKEN_SCRIPT}${rendered.slice(headEnd)}`, '</body>', TOKEN_FIELD);
}
