// The router's development pages on the real graph: the mailbox every service of `npm start` catches mail in,
// listed as JSON at /dev/mailbox; the stand-ins for the frontend's pages at the mail links; none of it outside
// development.
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startLocalGraph, type LocalGraph } from '@pyairtable/local-graph';
import { DevMailbox, MAIL_LINK_PATHS, renderMail } from '@pyairtable/common/mail';
import { SUBGRAPHS, subgraphUrlSetting } from '@pyairtable/common/subgraphs';
import { loadRouterConfig } from '@pyairtable/router/config';
import { connectRouterInfrastructure, createRouter } from '@pyairtable/router/server';
import type { HttpService } from '@pyairtable/common/http';
import { register, uniqueEmail } from '../support/client.js';
import { runDatabaseUrl, runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { eventually } from '../support/eventually.js';
import { startGraph, type TestGraph } from '../support/graph.js';

const LINK_PATHS = Object.values(MAIL_LINK_PATHS);

interface MailboxList {
  messages: Array<{ id: string; to: string; from: string; subject: string; caughtAt: string; links: string[] }>;
}

const getJson = async (url: string): Promise<{ status: number; body: unknown }> => {
  const response = await fetch(url, { headers: { accept: 'application/json' } });
  return { status: response.status, body: await response.json() };
};

const caughtMessages = async (routerUrl: string) => ((await getJson(`${routerUrl}/dev/mailbox`)).body as MailboxList).messages;

describe('npm start (on this run’s Postgres and Redis, without SMTP_URL)', () => {
  let dataDir: string;
  let graph: LocalGraph;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'pyairtable-dev-pages-'));
    graph = await startLocalGraph({
      DATA_DIR: dataDir,
      DATABASE_URL: runDatabaseUrl(),
      REDIS_URL: runRedisUrl(),
      REDIS_KEY_PREFIX: runRedisPrefix(),
      PORT: '0',
      ...Object.fromEntries(SUBGRAPHS.map(({ name }) => [`${name.toUpperCase()}_PORT`, '0'])),
      LOG_LEVEL: process.env['TEST_LOG_LEVEL'] ?? 'silent',
    });
  });
  afterAll(async () => {
    await graph.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('lists the mail its services caught as JSON at the router’s /dev/mailbox, each message at its own address', async () => {
    if (!graph.mailbox) throw new Error('npm start without SMTP_URL has a mailbox');
    const to = uniqueEmail('mailbox');
    const caught = graph.mailbox.add({
      to,
      from: 'no-reply@pyairtable.localhost',
      ...renderMail('reset-password', { token: 'a-reset-token' }, { productName: 'PyAirtable', publicAppUrl: graph.routerUrl }),
    });

    expect((await getJson(`${graph.routerUrl}/dev/mailbox`)).status).toBe(200);
    expect((await caughtMessages(graph.routerUrl)).find((message) => message.to === to)).toEqual({
      id: caught.id,
      to,
      from: 'no-reply@pyairtable.localhost',
      subject: 'Reset your PyAirtable password',
      caughtAt: caught.caughtAt.toISOString(),
      links: [`${graph.routerUrl}/reset-password?token=a-reset-token`],
    });
    const one = await getJson(`${graph.routerUrl}/dev/mailbox/${caught.id}`);
    expect([one.status, (one.body as { text: string }).text]).toEqual([
      200,
      expect.stringContaining(`${graph.routerUrl}/reset-password?token=a-reset-token`),
    ]);
    expect((await getJson(`${graph.routerUrl}/dev/mailbox/no-such-id`)).status).toBe(404);
  });

  // Needs the auth subgraph's account-lifecycle flows (register sends a verify-email mail).
  it('catches the verification mail of a new account there, its link opening this router’s /verify-email page', async () => {
    const { user } = await register(graph.routerUrl, { email: uniqueEmail('caught') });
    const mail = await eventually(
      async () => (await caughtMessages(graph.routerUrl)).find((message) => message.to === user.email),
      (found) => found !== undefined,
      10_000,
    );
    expect(mail?.links).toHaveLength(1);
    const link = new URL(mail?.links[0] ?? '');
    expect(`${link.origin}${link.pathname}`).toBe(`${graph.routerUrl}/verify-email`);
    // At least 256 random bits.
    expect(link.searchParams.get('token')?.length).toBeGreaterThanOrEqual(43);
  });

  it.each(LINK_PATHS)('serves a self-contained page at %s whose only script is the one its policy allows', async (path) => {
    const response = await fetch(`${graph.routerUrl}${path}?token=some-token`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('cache-control')).toBe('no-store');
    const html = await response.text();
    const policy = response.headers.get('content-security-policy') ?? '';
    const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map(([, script = '']) => script);
    const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map(([, style = '']) => style);
    expect([scripts.length, styles.length]).toEqual([1, 1]);
    const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;
    expect(policy).toContain(`script-src ${hash(scripts[0] ?? '')};`);
    expect(policy).toContain(`style-src ${hash(styles[0] ?? '')};`);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("connect-src 'self'");
    // Nothing is loaded from elsewhere, and the token never appears in the markup (the script reads it).
    expect(html).not.toMatch(/(src|href)=|https?:\/\//);
    expect(html).not.toContain('some-token');
  });
});

describe('outside development', () => {
  let graph: TestGraph;
  let routerWithMailbox: HttpService;
  let routerWithMailboxUrl: string;
  beforeAll(async () => {
    graph = await startGraph({ NODE_ENV: 'production' });
    // Even a production router handed a mailbox shows none of it.
    const env: Record<string, string> = { ...graph.env };
    for (const { name } of SUBGRAPHS) env[subgraphUrlSetting(name)] = `${graph.subgraphUrls[name]}/graphql`;
    const config = loadRouterConfig(env);
    const mailbox = new DevMailbox();
    mailbox.add({ to: 'ada@example.test', from: 'no-reply@example.test', subject: 'secret', text: 'http://x.test/?token=t', html: '' });
    routerWithMailbox = (await createRouter(config, { ...connectRouterInfrastructure(config), mailbox })).service;
    routerWithMailboxUrl = (await routerWithMailbox.listen(0, '127.0.0.1')).url;
  });
  afterAll(async () => {
    await routerWithMailbox.close();
    await graph.close();
  });

  it.each(['/dev/mailbox', ...LINK_PATHS.map((path) => `${path}?token=some-token`)])('answers 404 at %s', async (path) => {
    for (const routerUrl of [graph.routerUrl, routerWithMailboxUrl]) {
      for (const accept of ['text/html', 'application/json']) {
        const response = await fetch(`${routerUrl}${path}`, { headers: { accept } });
        const body = await response.text();
        expect([routerUrl, accept, response.status, body.includes('token')]).toEqual([routerUrl, accept, 404, false]);
      }
    }
  });
});
