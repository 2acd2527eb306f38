import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { loadConfig } from '@pyairtable/common/config';
import { databaseQueryCounter, postgresAdapter } from '@pyairtable/common/data';
import { SqlMailQueue, createMailer, enqueueMail, mailSettings, type Mailer, type MailSettings } from '@pyairtable/common/mail';
import { createLogger } from '@pyairtable/common/observability';
import { createAuthDatabase, type AuthDatabase } from '../../subgraphs/auth/src/data/database.js';
import { defined, itemAt } from '../support/defined.js';
import { eventually, untilPasses } from '../support/eventually.js';
import { createIsolatedDatabase } from '../support/isolated-database.js';
import { startProcess } from '../support/processes.js';
import { linkFrom, startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const SCHEMA = 'pyairtable_auth';
const logger = createLogger('mail-test', process.env['TEST_LOG_LEVEL'] ?? 'silent');

let isolated: { url: string; drop: () => Promise<void> };
let database: AuthDatabase;
let sink: SmtpSink;

function connect(url: string): AuthDatabase {
  return createAuthDatabase(postgresAdapter(url, 2, SCHEMA), databaseQueryCounter(new Registry()));
}

beforeAll(async () => {
  [isolated, sink] = await Promise.all([createIsolatedDatabase(), startSmtpSink()]);
  database = connect(isolated.url);
});

const mailers: Mailer[] = [];
afterEach(async () => {
  await Promise.all(mailers.splice(0).map((mailer) => mailer.stop()));
  sink.accept();
  sink.answerAfter(0);
  await sink.comeBack();
  await database.outgoingMail.deleteMany();
});

afterAll(async () => {
  await database.$disconnect();
  await sink.stop();
  await isolated.drop();
});

/** Fast retries, so a test sees several attempts in a fraction of a second. */
function mailSettingsWith(overrides: Record<string, string> = {}): MailSettings {
  return loadConfig('mail test', z.object(mailSettings), {
    SMTP_URL: sink.url,
    MAIL_FROM: '"Acme Tables" <mail@acme.example>',
    PRODUCT_NAME: 'Acme Tables',
    PUBLIC_APP_URL: 'https://app.acme.example/tables',
    MAIL_POLL_INTERVAL_MS: '25',
    MAIL_RETRY_INITIAL_MS: '50',
    MAIL_RETRY_MAX_MS: '2000',
    ...overrides,
  });
}

function mailerWith(overrides: Record<string, string> = {}, registry?: Registry): Mailer {
  const mailer = createMailer({
    settings: mailSettingsWith(overrides),
    nodeEnv: 'test',
    database,
    databaseSchema: SCHEMA,
    logger,
    ...(registry ? { registry } : {}),
  });
  mailers.push(mailer);
  return mailer;
}

const uniqueAddress = (label: string) => `${label}-${randomBytes(4).toString('hex')}@example.test`;
const token = () => randomBytes(32).toString('base64url');

function rowsFor(recipient: string) {
  return database.outgoingMail.findMany({
    where: { recipient },
    include: { deliveryAttempts: { orderBy: { attemptedAt: 'asc' } } },
    orderBy: { createdAt: 'asc' },
  });
}

describe('outgoing mail over SMTP', () => {
  it('delivers a message enqueued in a committed transaction: both parts, the link, the sender; the row is sent with one attempt', async () => {
    const mailer = mailerWith();
    const to = uniqueAddress('verify');
    const verificationToken = token();
    const id = await database.$transaction((transaction) =>
      mailer.enqueue(transaction, to, 'verify-email', { token: verificationToken, displayName: 'Ada <Lovelace>' }),
    );
    await mailer.relay.flush();

    const mail = await sink.waitForMail((received) => received.to.includes(to), 2_000);
    expect(mail.from).toBe('"Acme Tables" <mail@acme.example>');
    expect(mail.messageId).toBe(`<${id}@acme.example>`);
    expect(mail.subject).toBe('Confirm your email address for Acme Tables');
    const link = `https://app.acme.example/tables/verify-email?token=${verificationToken}`;
    expect(mail.text).toContain(link);
    expect(mail.text).toContain('Acme Tables');
    expect(mail.text).toContain('Hi Ada <Lovelace>,');
    expect(mail.html).toContain(`href="${link}"`);
    expect(mail.html).toContain('Acme Tables');
    expect(mail.html).toContain('Hi Ada &lt;Lovelace&gt;,');
    expect(linkFrom({ text: mail.text, html: '' }, '/verify-email')).toBe(verificationToken);
    expect(linkFrom({ text: '', html: mail.html }, '/verify-email')).toBe(verificationToken);

    const [row, ...others] = await rowsFor(to);
    expect(others).toEqual([]);
    expect(row).toMatchObject({
      id,
      kind: 'verify-email',
      status: 'sent',
      attempts: 1,
      lockedUntil: null,
      lastError: null,
      sentAt: expect.any(Date),
    });
    // The bodies carried the token: they are gone once the message went out.
    expect(row).toMatchObject({ textBody: '', htmlBody: '' });
    expect(row?.deliveryAttempts).toEqual([expect.objectContaining({ outcome: 'sent', error: null, smtpResponse: expect.stringMatching(/^250 /) })]);
  });

  it('sends nothing for a transaction that rolled back', async () => {
    const mailer = mailerWith();
    const rolledBack = uniqueAddress('rolled-back');
    const committed = uniqueAddress('committed');
    await expect(
      database.$transaction(async (transaction) => {
        await mailer.enqueue(transaction, rolledBack, 'reset-password', { token: token() });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    // A message committed afterwards shows the relay delivering, so the absence below means something.
    await database.$transaction((transaction) => mailer.enqueue(transaction, committed, 'reset-password', { token: token() }));
    await mailer.relay.flush();

    await sink.waitForMail((received) => received.to.includes(committed), 2_000);
    expect(sink.received.filter((received) => received.to.includes(rolledBack))).toEqual([]);
    expect(await rowsFor(rolledBack)).toEqual([]);
  });

  it('records failed attempts with growing waits while the SMTP server is down, and delivers once it is back', async () => {
    const initialMs = 150;
    const mailer = mailerWith({ MAIL_RETRY_INITIAL_MS: String(initialMs), MAIL_MAX_ATTEMPTS: '20' });
    const to = uniqueAddress('outage');
    const resetToken = token();
    await sink.goDown();
    await database.$transaction((transaction) => mailer.enqueue(transaction, to, 'reset-password', { token: resetToken }));
    mailer.start();

    const [during] = await eventually(
      () => rowsFor(to),
      ([row]) => (row?.attempts ?? 0) >= 3,
      5_000,
      20,
    );
    expect(during).toMatchObject({ status: 'pending', lastError: expect.stringContaining('ECONNREFUSED') });
    const failures = during?.deliveryAttempts ?? [];
    expect(failures.slice(0, 3).map((attempt) => attempt.outcome)).toEqual(['failed', 'failed', 'failed']);
    const attemptedAt = (index: number) => itemAt(failures, index, 'a failed attempt').attemptedAt.getTime();
    // Exponential backoff: initialMs after the first failure, twice that after the second (less clock slack).
    expect(attemptedAt(1) - attemptedAt(0)).toBeGreaterThanOrEqual(initialMs - 20);
    expect(attemptedAt(2) - attemptedAt(1)).toBeGreaterThanOrEqual(2 * initialMs - 20);
    expect(defined(during, 'the outgoing mail row').nextAttemptAt.getTime()).toBeGreaterThan(attemptedAt(-1));

    await sink.comeBack();
    const mail = await sink.waitForMail((received) => received.to.includes(to), 5_000);
    expect(linkFrom(mail, '/reset-password')).toBe(resetToken);
    await untilPasses(async () => {
      const [row] = await rowsFor(to);
      expect(row).toMatchObject({ status: 'sent', lastError: null });
      expect(row?.attempts).toBe(row?.deliveryAttempts.length);
      expect(row?.deliveryAttempts.at(-1)?.outcome).toBe('sent');
      expect(row?.deliveryAttempts.filter((attempt) => attempt.outcome === 'sent')).toHaveLength(1);
    });
    expect(sink.received.filter((received) => received.to.includes(to))).toHaveLength(1);
  });

  it('marks a message failed after MAIL_MAX_ATTEMPTS temporary refusals', async () => {
    const mailer = mailerWith({ MAIL_MAX_ATTEMPTS: '3', MAIL_RETRY_INITIAL_MS: '20' });
    const to = uniqueAddress('refused');
    sink.refuse(451, 'Mailbox busy, try later');
    await database.$transaction((transaction) => mailer.enqueue(transaction, to, 'confirm-email-change', { token: token(), newEmail: to }));
    mailer.start();

    const [row] = await eventually(
      () => rowsFor(to),
      ([candidate]) => candidate?.status === 'failed',
      5_000,
      20,
    );
    expect(row).toMatchObject({ status: 'failed', attempts: 3, textBody: '', htmlBody: '', lastError: expect.stringContaining('451') });
    expect(row?.deliveryAttempts.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed', 'failed']);
    expect(row?.deliveryAttempts[0]?.smtpResponse).toMatch(/^451 /);
    // Given up: no fourth attempt follows.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect((await rowsFor(to))[0]?.deliveryAttempts).toHaveLength(3);
    expect(sink.received.filter((received) => received.to.includes(to))).toEqual([]);
  });

  it('gives up at once on a permanent refusal (5xx)', async () => {
    const mailer = mailerWith({ MAIL_MAX_ATTEMPTS: '5' });
    const to = uniqueAddress('unknown-mailbox');
    sink.refuse(550, 'No such user here');
    await database.$transaction((transaction) => mailer.enqueue(transaction, to, 'email-change-notice', { newEmail: 'new@example.test' }));
    await mailer.relay.flush();

    const [row] = await rowsFor(to);
    expect(row).toMatchObject({ status: 'failed', attempts: 1, lastError: expect.stringContaining('550') });
  });
});

describe('relays sharing one queue', () => {
  const leaseTestMessage = (index: number) => ({
    to: uniqueAddress(`lease-${index}`),
    kind: 'test',
    subject: `lease ${index}`,
    text: 't',
    html: 'h',
  });

  it('skip the messages another relay is claiming, without waiting for it', async () => {
    const otherDatabase = connect(isolated.url);
    try {
      const ids = await database.$transaction(async (transaction) => {
        const written: string[] = [];
        for (let index = 0; index < 3; index += 1) written.push(await enqueueMail(transaction, SCHEMA, leaseTestMessage(index)));
        return written;
      });
      // A relay in the middle of its claim holds the first message's row lock.
      const claimedMeanwhile = await database.$transaction(async (transaction) => {
        await transaction.$queryRawUnsafe(`SELECT id FROM ${SCHEMA}.outgoing_mail WHERE id = $1::uuid FOR UPDATE`, ids[0]);
        const claiming = new SqlMailQueue(otherDatabase, SCHEMA).claimDue(10, 60_000);
        const blocked = new Promise<'blocked'>((resolve) => setTimeout(() => resolve('blocked'), 2_000).unref());
        return Promise.race([claiming, blocked]);
      });
      expect(claimedMeanwhile === 'blocked' ? claimedMeanwhile : claimedMeanwhile.map((mail) => mail.id).sort()).toEqual(ids.slice(1).sort());
    } finally {
      await otherDatabase.$disconnect();
    }
  });

  it('leave a message alone while its lease holds, and take it over once the lease ran out', async () => {
    const otherDatabase = connect(isolated.url);
    try {
      const [first, second] = [new SqlMailQueue(database, SCHEMA), new SqlMailQueue(otherDatabase, SCHEMA)];
      const id = await database.$transaction((transaction) => enqueueMail(transaction, SCHEMA, leaseTestMessage(0)));
      expect((await first.claimDue(10, 300)).map((mail) => mail.id)).toEqual([id]);
      expect(await second.claimDue(10, 60_000)).toEqual([]);
      expect(await first.claimDue(10, 60_000)).toEqual([]);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await second.claimDue(10, 60_000)).toEqual([expect.objectContaining({ id, attempts: 0 })]);
    } finally {
      await otherDatabase.$disconnect();
    }
  });

  it('deliver each of 30 messages exactly once when a relay in another process races this one', async () => {
    const tag = randomBytes(4).toString('hex');
    const settings = { SMTP_URL: sink.url, MAIL_POLL_INTERVAL_MS: '10', PRODUCT_NAME: 'Acme Tables' };
    const other = await startProcess(
      resolve('tests/support/mail-relay-process.ts'),
      { ...process.env, ...settings, DATABASE_URL: isolated.url },
      (announcement) => (announcement['ready'] === true ? 'ready' : undefined),
    );
    const registry = new Registry();
    const local = mailerWith(settings, registry);
    // Each batch of ten then takes at least 200 ms, so one relay cannot send all 30 before the other, polling every
    // 10 ms, claims a batch: on a busy CI machine the local relay once did.
    sink.answerAfter(200);
    try {
      local.start();
      const ids = await database.$transaction(async (transaction) => {
        const written: string[] = [];
        for (let index = 0; index < 30; index += 1) {
          written.push(
            await enqueueMail(transaction, SCHEMA, {
              to: uniqueAddress('race'),
              kind: 'test',
              subject: `race ${tag} #${index}`,
              text: 'race',
              html: '<p>race</p>',
            }),
          );
        }
        return written;
      });
      local.deliverSoon();

      // A row is marked sent only after the server took the message, so once all are sent the sink has every copy.
      await eventually(
        () => database.outgoingMail.count({ where: { id: { in: ids }, status: 'sent' } }),
        (sent) => sent === 30,
        10_000,
        25,
      );
      const raced = sink.received.filter((received) => received.subject.startsWith(`race ${tag} `));
      expect(raced).toHaveLength(30);
      expect(new Set(raced.map((received) => received.subject)).size).toBe(30);
      expect(new Set(raced.map((received) => received.messageId)).size).toBe(30);
      expect(await database.mailDeliveryAttempt.count({ where: { mailId: { in: ids } } })).toBe(30);
    } finally {
      await local.stop();
      await other.stop();
    }
    const otherSent = other
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{"sent"'))
      .map((line) => JSON.parse(line) as { sent: number })[0]?.sent;
    const localSent = (await registry.getSingleMetric('mail_delivery_attempts_total')?.get())?.values.find(
      (value) => value.labels['outcome'] === 'sent',
    )?.value;
    // Both took part: the race was real.
    expect(otherSent).toBeGreaterThan(0);
    expect(localSent).toBeGreaterThan(0);
    expect((otherSent ?? 0) + (localSent ?? 0)).toBe(30);
  });
});
