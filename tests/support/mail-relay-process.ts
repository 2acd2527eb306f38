/**
 * A mail relay in a process of its own, on its own connection pool, for tests of relays racing over one
 * outgoing-mail queue: env DATABASE_URL (the auth schema's database) and the mail settings (SMTP_URL, …).
 * Prints {"ready":true} once polling, delivers until SIGTERM, then prints {"sent":<messages it sent>}.
 */
import { Registry } from 'prom-client';
import { z } from 'zod';
import { loadConfig, postgresUrl } from '@pyairtable/common/config';
import { databaseQueryCounter, postgresAdapter } from '@pyairtable/common/data';
import { createMailer, mailSettings } from '@pyairtable/common/mail';
import { createLogger } from '@pyairtable/common/observability';
import { createAuthDatabase } from '../../subgraphs/auth/src/data/database.js';

const settings = loadConfig('mail relay test process', z.object({ ...mailSettings, DATABASE_URL: postgresUrl }));
const registry = new Registry();
const database = createAuthDatabase(postgresAdapter(settings.DATABASE_URL, 2, 'pyairtable_auth'), databaseQueryCounter(registry));
const mailer = createMailer({
  settings,
  nodeEnv: 'test',
  database,
  databaseSchema: 'pyairtable_auth',
  logger: createLogger('mail-relay-process', 'warn'),
  registry,
});
mailer.start();
// The relay's timer does not keep a process alive (a subgraph's HTTP server does); this process has nothing else.
const keepAlive = setInterval(() => undefined, 60_000);
process.stdout.write(`${JSON.stringify({ ready: true })}\n`);

process.once('SIGTERM', () => {
  void (async () => {
    await mailer.stop();
    clearInterval(keepAlive);
    const attempts = await registry.getSingleMetric('mail_delivery_attempts_total')?.get();
    const sent = attempts?.values.find((value) => value.labels['outcome'] === 'sent')?.value ?? 0;
    await database.$disconnect();
    process.stdout.write(`${JSON.stringify({ sent })}\n`);
    process.exit(0);
  })();
});
