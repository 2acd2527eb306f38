/** The mail templates (links, escaping, greetings) and the mail settings: pure, no database and no SMTP server. */
import { describe, expect, it } from '@jest/globals';
import { z } from 'zod';
import { loadConfig, nodeEnv } from '@pyairtable/common/config';
import {
  MAIL_KINDS,
  appLink,
  escapeHtml,
  mailSettings,
  renderMail,
  requireSmtpOutsideDevelopment,
  type MailKind,
  type MailTemplateParams,
} from '@pyairtable/common/mail';
import { configProblems } from '../../support/config-problems.js';
import { linkFrom } from '../../support/smtp-sink.js';

const branding = { productName: 'Acme & Co', publicAppUrl: 'https://app.example.test' };

const EXAMPLES: { [Kind in MailKind]: MailTemplateParams[Kind] } = {
  'verify-email': { token: 'verify-token', displayName: 'Ada' },
  'reset-password': { token: 'reset-token' },
  'confirm-email-change': { token: 'change-token', newEmail: 'new@example.test' },
  'email-change-notice': { newEmail: 'new@example.test' },
  'workspace-invitation': { token: 'invite-token', workspaceName: 'Roadmap', invitedByName: 'Grace', role: 'EDITOR' },
};

const LINKS: Record<MailKind, [path: string, token: string] | undefined> = {
  'verify-email': ['/verify-email', 'verify-token'],
  'reset-password': ['/reset-password', 'reset-token'],
  'confirm-email-change': ['/confirm-email-change', 'change-token'],
  'email-change-notice': undefined,
  'workspace-invitation': ['/invitations/accept', 'invite-token'],
};

describe('mail templates', () => {
  it.each(MAIL_KINDS)('%s: both parts carry the product name and the link, and the subject is one line', (kind) => {
    const mail = renderMail(kind, EXAMPLES[kind], branding);
    expect(mail.subject).toContain('Acme & Co');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    expect(mail.text).toContain('Acme & Co');
    expect(mail.html).toContain('Acme &amp; Co');
    expect(mail.html).not.toContain('Acme & Co');
    const expected = LINKS[kind];
    if (expected) {
      const [path, token] = expected;
      expect(linkFrom({ text: mail.text, html: '' }, path)).toBe(token);
      expect(linkFrom({ text: '', html: mail.html }, path)).toBe(token);
      expect(mail.text).toContain(`https://app.example.test${path}?token=${token}`);
    } else {
      // The notice to the old address carries no token, only a way back to the app.
      expect(mail.text).not.toContain('token');
      expect(mail.html).not.toContain('token');
      expect(mail.text).toContain('https://app.example.test/');
      expect(mail.text).toContain('new@example.test');
    }
  });

  it('escapes what users wrote in the HTML part and keeps header lines whole', () => {
    const mail = renderMail(
      'workspace-invitation',
      { token: 't', workspaceName: '<script>alert("x")</script>', invitedByName: "O'Brien\r\nBcc: victim@example.test", role: 'VIEWER' },
      branding,
    );
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
    expect(mail.html).toContain('O&#39;Brien');
    expect(mail.subject).toBe(`O'Brien Bcc: victim@example.test invited you to <script>alert("x")</script> on Acme & Co`);
    expect(mail.text).toContain('as viewer');
  });

  it('greets by name when there is one', () => {
    expect(renderMail('verify-email', { token: 't', displayName: 'Ada' }, branding).text).toMatch(/^Hi Ada,/);
    expect(renderMail('verify-email', { token: 't', displayName: null }, branding).text).toMatch(/^Hi,/);
  });

  it('builds links below a PUBLIC_APP_URL with a path, with or without its trailing slash, and encodes the token', () => {
    expect(appLink('https://example.test/app', '/verify-email', 'a+b/c=')).toBe('https://example.test/app/verify-email?token=a%2Bb%2Fc%3D');
    expect(appLink('https://example.test/app/', '/reset-password', 'x')).toBe('https://example.test/app/reset-password?token=x');
    expect(appLink('http://localhost:8000', '/invitations/accept', 'x')).toBe('http://localhost:8000/invitations/accept?token=x');
    expect(appLink('http://localhost:8000/', '/')).toBe('http://localhost:8000/');
  });

  it('escapes the five HTML characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
  });
});

describe('mail settings', () => {
  const settings = requireSmtpOutsideDevelopment(z.object({ NODE_ENV: nodeEnv, ...mailSettings }));
  const load = (env: Record<string, string>) => loadConfig('mail test', settings, env);
  const problemsOf = (env: Record<string, string>) => configProblems(load, env);

  it('has defaults for everything but SMTP_URL, which development does without', () => {
    expect(load({ NODE_ENV: 'development' })).toEqual({
      NODE_ENV: 'development',
      MAIL_FROM: '"PyAirtable" <no-reply@pyairtable.localhost>',
      PUBLIC_APP_URL: 'http://localhost:8000',
      PRODUCT_NAME: 'PyAirtable',
      MAIL_MAX_ATTEMPTS: 8,
      MAIL_RETRY_INITIAL_MS: 1_000,
      MAIL_RETRY_MAX_MS: 300_000,
      MAIL_POLL_INTERVAL_MS: 1_000,
    });
  });

  it('requires SMTP_URL outside development, and an smtp:// or smtps:// one', () => {
    expect(problemsOf({ NODE_ENV: 'production' })).toEqual([expect.stringMatching(/^SMTP_URL: is required outside development/)]);
    expect(problemsOf({ NODE_ENV: 'test' })).toEqual([expect.stringMatching(/^SMTP_URL: is required/)]);
    expect(problemsOf({ NODE_ENV: 'production', SMTP_URL: 'http://mail.example.test' })).toEqual(['SMTP_URL: must be an smtp:// or smtps:// URL']);
    expect(load({ NODE_ENV: 'production', SMTP_URL: 'smtps://user:secret@mail.example.test:465' }).SMTP_URL).toBe(
      'smtps://user:secret@mail.example.test:465',
    );
  });

  it('refuses a MAIL_FROM without an address and a PUBLIC_APP_URL that is not http(s)', () => {
    expect(problemsOf({ NODE_ENV: 'development', MAIL_FROM: 'PyAirtable', PUBLIC_APP_URL: 'javascript:alert(1)' })).toEqual([
      expect.stringMatching(/^MAIL_FROM: must be an address/),
      'PUBLIC_APP_URL: must be an http:// or https:// URL',
    ]);
  });
});
