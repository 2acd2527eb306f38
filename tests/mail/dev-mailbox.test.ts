import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import express from 'express';
import helmet from 'helmet';
import { DevMailbox, renderMail, type CaughtMail } from '@pyairtable/common/mail';
import { DEV_MAILBOX_CONTENT_SECURITY_POLICY, devMailboxRoutes } from '../../router/src/dev/mailbox.js';
import { useChromium } from '../support/browser.js';

const branding = { productName: 'Acme Tables', publicAppUrl: 'http://localhost:5173' };

let server: Server;
let baseUrl: string;
const mailbox = new DevMailbox();
let invitation: CaughtMail;
let reset: CaughtMail;

beforeAll(async () => {
  invitation = mailbox.add({
    to: 'grace@example.test',
    from: '"Acme Tables" <no-reply@acme.example>',
    ...renderMail('workspace-invitation', { token: 'invite-token', workspaceName: '<b>Roadmap</b>', invitedByName: 'Ada', role: 'EDITOR' }, branding),
  });
  reset = mailbox.add({ to: 'ada@example.test', from: 'no-reply@acme.example', ...renderMail('reset-password', { token: 'reset-token' }, branding) });
  // As on the router: helmet's strict policy for everything, which the mailbox's pages replace with their own.
  const app = express();
  app.use(helmet());
  app.use(devMailboxRoutes(mailbox, { productName: 'Acme Tables' }));
  server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('GET /dev/mailbox', () => {
  it('lists the caught mail, newest first, each opening its page, under its own content security policy', async () => {
    const response = await fetch(`${baseUrl}/dev/mailbox`, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toBe(DEV_MAILBOX_CONTENT_SECURITY_POLICY);
    const html = await response.text();
    expect(html.indexOf('ada@example.test')).toBeLessThan(html.indexOf('grace@example.test'));
    expect(html).toContain(`<a href="/dev/mailbox/${reset.id}">Reset your Acme Tables password</a>`);
    // User-provided text is escaped, in the list as everywhere.
    expect(html).toContain('Ada invited you to &lt;b&gt;Roadmap&lt;/b&gt; on Acme Tables');
    expect(html).not.toMatch(/<script|https?:\/\/(?!localhost:5173)/);
  });

  it('answers JSON to a request that asks for it', async () => {
    const response = await fetch(`${baseUrl}/dev/mailbox`, { headers: { accept: 'application/json' } });
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await response.json()).toEqual({
      messages: [
        {
          id: reset.id,
          to: 'ada@example.test',
          from: 'no-reply@acme.example',
          subject: reset.subject,
          caughtAt: reset.caughtAt.toISOString(),
          links: ['http://localhost:5173/reset-password?token=reset-token'],
        },
        expect.objectContaining({ id: invitation.id, links: ['http://localhost:5173/invitations/accept?token=invite-token'] }),
      ],
    });
  });
});

describe('GET /dev/mailbox/:id', () => {
  it('shows the subject, the recipient, the links as anchors, the text part and the HTML part in a sandboxed frame', async () => {
    const response = await fetch(`${baseUrl}/dev/mailbox/${invitation.id}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(DEV_MAILBOX_CONTENT_SECURITY_POLICY);
    const html = await response.text();
    expect(html).toContain('<h1>Ada invited you to &lt;b&gt;Roadmap&lt;/b&gt; on Acme Tables</h1>');
    expect(html).toContain('<dd>grace@example.test</dd>');
    expect(html).toContain('<a href="http://localhost:5173/invitations/accept?token=invite-token">');
    expect(html).toMatch(/<pre>Hi,\n\nAda invited you to join the workspace “&lt;b&gt;Roadmap&lt;\/b&gt;”/);
    const frame = /<iframe title="HTML part" sandbox="([^"]*)" srcdoc="([^"]*)"><\/iframe>/.exec(html);
    expect(frame?.[1]).not.toContain('allow-scripts');
    expect(frame?.[2]).toContain('&lt;base target=&quot;_blank&quot;&gt;');
    expect(frame?.[2]).toContain('href=&quot;http://localhost:5173/invitations/accept?token=invite-token&quot;');
  });

  it('answers JSON with both parts to a request that asks for it', async () => {
    const response = await fetch(`${baseUrl}/dev/mailbox/${reset.id}`, { headers: { accept: 'application/json' } });
    expect(await response.json()).toEqual({
      id: reset.id,
      to: 'ada@example.test',
      from: 'no-reply@acme.example',
      subject: reset.subject,
      caughtAt: reset.caughtAt.toISOString(),
      links: reset.links,
      text: reset.text,
      html: reset.html,
    });
  });

  it('is 404 for an unknown id, in HTML and in JSON', async () => {
    const page = await fetch(`${baseUrl}/dev/mailbox/not-a-message`);
    expect(page.status).toBe(404);
    expect(await page.text()).toContain('<h1>Not found</h1>');
    const json = await fetch(`${baseUrl}/dev/mailbox/not-a-message`, { headers: { accept: 'application/json' } });
    expect(json.status).toBe(404);
    expect(await json.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
  });
});

describe('in a browser', () => {
  const chromium = useChromium();

  it('opens a message from the list and renders its HTML part, styled, scripts not run, with no policy violation', async () => {
    const hostile = mailbox.add({
      to: 'eve@example.test',
      from: 'no-reply@acme.example',
      subject: 'Hostile',
      text: 'See http://localhost:5173/verify-email?token=t',
      html: '<html><head></head><body><p id="status" style="color: rgb(1, 2, 3)">static</p><script>document.getElementById("status").textContent = "script ran"</script></body></html>',
    });
    const page = await chromium.browser.newPage();
    const problems: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith(baseUrl) && !request.url().startsWith('about:')) problems.push(`outside request: ${request.url()}`);
    });
    try {
      await page.goto(`${baseUrl}/dev/mailbox`);
      await page.getByRole('link', { name: 'Reset your Acme Tables password' }).click();
      await page.waitForURL(`${baseUrl}/dev/mailbox/${reset.id}`);
      const frame = page.frameLocator('iframe[title="HTML part"]');
      const button = frame.getByRole('link', { name: 'Choose a new password' });
      expect(await button.getAttribute('href')).toBe('http://localhost:5173/reset-password?token=reset-token');
      // The mail's inline styles apply inside the frame (the page's policy allows them).
      expect(await button.evaluate((element) => getComputedStyle(element).backgroundColor)).toBe('rgb(45, 108, 223)');
      expect(await page.getByRole('link', { name: 'http://localhost:5173/reset-password?token=reset-token' }).count()).toBe(1);

      await page.goto(`${baseUrl}/dev/mailbox/${hostile.id}`);
      const status = page.frameLocator('iframe[title="HTML part"]').locator('#status');
      expect(await status.textContent()).toBe('static');
      expect(await status.evaluate((element) => getComputedStyle(element).color)).toBe('rgb(1, 2, 3)');
      // The sandbox, not the policy, stops the script: Chromium reports a blocked sandboxed script as an error.
      expect(problems.filter((problem) => !problem.includes("sandboxed and the 'allow-scripts' permission is not set"))).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
