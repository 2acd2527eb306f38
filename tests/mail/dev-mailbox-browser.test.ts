// `npm start` as a person uses it: a new account's verification mail is read at /dev/mailbox in a browser and its
// link followed to the router's /verify-email page, which verifies the address; a password reset likewise.
// Needs the auth subgraph's account-lifecycle flows (verifyEmail, requestPasswordReset, resetPassword).
import { describe, expect, it } from '@jest/globals';
import type { Page } from 'playwright-core';
import { graphql, login, register, uniqueEmail } from '../support/client.js';
import { useChromium } from '../support/browser.js';
import { eventually } from '../support/eventually.js';
import { useLocalGraphProcess } from '../support/local-graph.js';

describe('the development mailbox of npm start, in a browser', () => {
  // Declared first, so the browser closes (and lets go of its connections) before the graph stops.
  const chromium = useChromium();
  const graph = useLocalGraphProcess();
  const outsideRequests: string[] = [];

  async function newPage(): Promise<Page> {
    const page = await chromium.browser.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(graph.url) && !request.url().startsWith('about:')) outsideRequests.push(request.url());
    });
    return page;
  }

  /** Opens /dev/mailbox, waits for the message to `to` with this subject, opens it and follows its link. */
  async function followLinkOfMail(page: Page, to: string, subject: RegExp, linkPath: string): Promise<string> {
    await page.goto(`${graph.url}/dev/mailbox`);
    const row = page.locator('tr', { hasText: to }).filter({ hasText: subject });
    await eventually(
      async () => {
        await page.reload();
        return row.count();
      },
      (count) => count === 1,
      15_000,
      250,
    );
    await row.getByRole('link').click();
    const link = page.locator(`ul a[href^="${graph.url}${linkPath}?token="]`);
    const href = (await link.getAttribute('href')) ?? '';
    await link.click();
    await page.waitForURL((url) => url.pathname === linkPath);
    return href;
  }

  const outcomeOf = async (page: Page) => {
    const outcome = page.locator('#outcome[data-state]');
    await outcome.waitFor({ timeout: 15_000 });
    return { state: await outcome.getAttribute('data-state'), text: await outcome.innerText() };
  };

  it('verifies a new account through the link of its verification mail', async () => {
    const email = uniqueEmail('browser');
    const account = await register(graph.url, { email, displayName: 'Browser Ada' });
    const page = await newPage();

    const link = await followLinkOfMail(page, email, /confirm your email/i, '/verify-email');
    expect(await outcomeOf(page)).toEqual({ state: 'done', text: `${email} is verified. You can close this page.` });
    // The page took the token out of the address bar (and so out of the history).
    expect(page.url()).toBe(`${graph.url}/verify-email`);
    const me = await graphql<{ me: { emailVerified: boolean } }>(graph.url, '{ me { emailVerified } }', {}, { token: account.accessToken });
    expect(me.body).toEqual({ data: { me: { emailVerified: true } } });

    // The link works once.
    await page.goto(link);
    expect(await outcomeOf(page)).toEqual({ state: 'failed', text: 'This link is unknown, already used or expired. Ask for a new one.' });
    // And development logs each caught message with its link.
    expect(graph.output()).toContain(`"link":"${link}"`);
    expect(outsideRequests).toEqual([]);
    await page.close();
  });

  it('resets a password through the form the reset mail’s link opens', async () => {
    const account = await register(graph.url, { email: uniqueEmail('reset') });
    const asked = await graphql(graph.url, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', { email: account.user.email });
    expect(asked.body).toEqual({ data: { requestPasswordReset: true } });
    const page = await newPage();

    await followLinkOfMail(page, account.user.email, /reset your/i, '/reset-password');
    await page.fill('#new-password', 'a brand new passphrase');
    await page.fill('#repeat-password', 'a brand new passphrase');
    await page.click('#submit');
    expect(await outcomeOf(page)).toEqual({
      state: 'done',
      text: `The password of ${account.user.email} is changed; every other session is signed out.`,
    });
    expect((await login(graph.url, account.user.email, 'a brand new passphrase')).body.data?.login.user.id).toBe(account.user.id);
    expect(outsideRequests).toEqual([]);
    await page.close();
  });
});
