import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { pino } from 'pino';
import { Registry } from 'prom-client';
import { z } from 'zod';
import { loadConfig } from '@pyairtable/common/config';
import { databaseQueryCounter, postgresAdapter } from '@pyairtable/common/data';
import { DevMailbox, createMailer, mailSettings, type Mailer } from '@pyairtable/common/mail';
import { createAuthDatabase, type AuthDatabase } from '../../subgraphs/auth/src/data/database.js';
import { itemAt } from '../support/defined.js';
import { createIsolatedDatabase } from '../support/isolated-database.js';
import { startSmtpSink, type SmtpSink } from '../support/smtp-sink.js';

const SCHEMA = 'pyairtable_auth';

let isolated: { url: string; drop: () => Promise<void> };
let database: AuthDatabase;
let sink: SmtpSink;

beforeAll(async () => {
  [isolated, sink] = await Promise.all([createIsolatedDatabase(), startSmtpSink()]);
  database = createAuthDatabase(postgresAdapter(isolated.url, 2, SCHEMA), databaseQueryCounter(new Registry()));
});

afterAll(async () => {
  await database.$disconnect();
  await sink.stop();
  await isolated.drop();
});

/** A logger whose JSON lines the test can read. */
function capturingLogger() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString().split('\n').filter(Boolean));
      done();
    },
  });
  return { logger: pino({ level: 'info' }, destination), lines };
}

/** A mailer without SMTP_URL: it catches. */
function catchingMailer(nodeEnv: string, mailbox: DevMailbox) {
  const { logger, lines } = capturingLogger();
  const settings = loadConfig('mail test', z.object(mailSettings), { PRODUCT_NAME: 'Acme Tables', PUBLIC_APP_URL: 'http://localhost:5173/' });
  const mailer: Mailer = createMailer({ settings, nodeEnv, database, databaseSchema: SCHEMA, logger, mailbox });
  return { mailer, lines };
}

describe('mail without SMTP_URL', () => {
  it('is caught in the mailbox with its link, logged with its link in development, and never sent', async () => {
    const mailbox = new DevMailbox();
    const { mailer, lines } = catchingMailer('development', mailbox);
    const to = `caught-${randomBytes(4).toString('hex')}@example.test`;
    const token = randomBytes(32).toString('base64url');
    try {
      const id = await database.$transaction((transaction) =>
        mailer.enqueue(transaction, to, 'workspace-invitation', { token, workspaceName: 'Roadmap', invitedByName: 'Grace', role: 'EDITOR' }),
      );
      await mailer.relay.flush();

      expect(mailer.mailbox).toBe(mailbox);
      const link = `http://localhost:5173/invitations/accept?token=${token}`;
      expect(mailbox.list()).toEqual([
        {
          id: expect.any(String),
          to,
          from: '"PyAirtable" <no-reply@pyairtable.localhost>',
          subject: 'Grace invited you to Roadmap on Acme Tables',
          text: expect.stringContaining(link),
          html: expect.stringContaining(`href="${link}"`),
          links: [link],
          caughtAt: expect.any(Date),
        },
      ]);
      const logged = lines.map((line) => JSON.parse(line) as Record<string, unknown>).filter((line) => line['mailId'] === id);
      expect(logged).toEqual([expect.objectContaining({ to, subject: 'Grace invited you to Roadmap on Acme Tables', link })]);

      const row = await database.outgoingMail.findUniqueOrThrow({ where: { id }, include: { deliveryAttempts: true } });
      expect(row).toMatchObject({ status: 'sent', attempts: 1 });
      expect(row.deliveryAttempts).toEqual([
        expect.objectContaining({ outcome: 'sent', smtpResponse: `caught as ${itemAt(mailbox.list(), 0, 'the caught message').id}` }),
      ]);
      expect(sink.received).toEqual([]);
    } finally {
      await mailer.stop();
    }
  });

  it('never logs the link (a live token) outside development', async () => {
    const mailbox = new DevMailbox();
    const { mailer, lines } = catchingMailer('test', mailbox);
    const to = `quiet-${randomBytes(4).toString('hex')}@example.test`;
    const token = randomBytes(32).toString('base64url');
    try {
      await database.$transaction((transaction) => mailer.enqueue(transaction, to, 'reset-password', { token }));
      await mailer.relay.flush();

      expect(mailbox.list()[0]?.links).toEqual([`http://localhost:5173/reset-password?token=${token}`]);
      expect(lines.some((line) => line.includes(to))).toBe(true);
      expect(lines.filter((line) => line.includes(token))).toEqual([]);
    } finally {
      await mailer.stop();
    }
  });
});

describe('the development mailbox', () => {
  it('keeps the newest messages, newest first, up to its capacity', () => {
    const mailbox = new DevMailbox(3);
    const caught = [1, 2, 3, 4].map((index) =>
      mailbox.add({
        to: `${index}@example.test`,
        from: 'f@example.test',
        subject: `#${index}`,
        text: `see https://x.test/${index}?token=t${index}.`,
        html: '',
      }),
    );
    expect(mailbox.list().map((message) => message.subject)).toEqual(['#4', '#3', '#2']);
    expect(mailbox.get(itemAt(caught, 3, 'the fourth message').id)?.links).toEqual(['https://x.test/4?token=t4']);
    expect(mailbox.get(itemAt(caught, 0, 'the first message').id)).toBeUndefined();
  });
});
