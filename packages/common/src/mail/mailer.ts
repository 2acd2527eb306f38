/** A subgraph's outgoing mail in one object: render and enqueue in a transaction, then deliver. */
import type { Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';
import { DevMailbox } from './dev-mailbox.js';
import { MailRelay, mailDeliveriesCounter } from './relay.js';
import type { MailSettings } from './settings.js';
import { SqlMailQueue, enqueueMail, type MailSqlClient } from './store.js';
import { renderMail, type MailKind, type MailTemplateParams } from './templates.js';
import { catchingTransport, smtpTransport, type MailTransport } from './transport.js';

export interface MailerOptions {
  /** The subgraph's settings (they include mailSettings). */
  settings: MailSettings;
  /** NODE_ENV: caught mail is logged with its link only in development. */
  nodeEnv: string;
  /** The subgraph's Prisma client. */
  database: MailSqlClient;
  /** The subgraph's Postgres schema, where its outgoing_mail table is (e.g. 'pyairtable_auth'). */
  databaseSchema: string;
  logger: Logger;
  /** Where mail is caught without SMTP_URL; share one between the services of one process. */
  mailbox?: DevMailbox;
  /** Counts delivery attempts (mail_delivery_attempts_total) when given. */
  registry?: Registry;
}

export interface Mailer {
  /**
   * Renders a message of `kind` and writes it to `to`, inside `transaction` (the interactive transaction of
   * the change that causes it). Returns the message's id. Call `deliverSoon()` once the transaction committed.
   */
  enqueue<Kind extends MailKind>(transaction: MailSqlClient, to: string, kind: Kind, params: MailTemplateParams[Kind]): Promise<string>;
  /** Starts delivering what is due now, without waiting (best effort: the relay's poll catches up anyway). */
  deliverSoon(): void;
  /** Starts polling for due messages (retries, or mail written just before a crash). */
  start(): void;
  /** Stops polling, waits for a delivery in progress, closes the transport. */
  stop(): Promise<void>;
  readonly relay: MailRelay;
  readonly transport: MailTransport;
  /** Where mail is caught, when SMTP_URL is unset; undefined when mail goes out over SMTP. */
  readonly mailbox: DevMailbox | undefined;
}

/**
 * Outgoing mail for a subgraph: over SMTP when SMTP_URL is set, otherwise caught in a DevMailbox (development;
 * the subgraph's settings require SMTP_URL elsewhere, see requireSmtpOutsideDevelopment). Wiring:
 *
 *     const mailer = createMailer({ settings: config, nodeEnv: config.NODE_ENV, database, databaseSchema: 'pyairtable_auth', logger });
 *     mailer.start();
 *     // on shutdown: await mailer.stop();
 */
export function createMailer({ settings, nodeEnv, database, databaseSchema, logger, mailbox, registry }: MailerOptions): Mailer {
  const mailLogger = logger.child({ component: 'mail' });
  let caughtIn: DevMailbox | undefined;
  let transport: MailTransport;
  if (settings.SMTP_URL === undefined) {
    caughtIn = mailbox ?? new DevMailbox();
    transport = catchingTransport(caughtIn, mailLogger, { from: settings.MAIL_FROM, logLinks: nodeEnv === 'development' });
  } else {
    transport = smtpTransport(settings.SMTP_URL, settings.MAIL_FROM);
  }
  const relay = new MailRelay(new SqlMailQueue(database, databaseSchema), transport, mailLogger, {
    retry: { maxAttempts: settings.MAIL_MAX_ATTEMPTS, delays: { initialMs: settings.MAIL_RETRY_INITIAL_MS, maxMs: settings.MAIL_RETRY_MAX_MS } },
    pollIntervalMs: settings.MAIL_POLL_INTERVAL_MS,
    ...(registry ? { deliveries: mailDeliveriesCounter(registry) } : {}),
  });
  const branding = { productName: settings.PRODUCT_NAME, publicAppUrl: settings.PUBLIC_APP_URL };
  return {
    enqueue: (transaction, to, kind, params) => enqueueMail(transaction, databaseSchema, { to, kind, ...renderMail(kind, params, branding) }),
    deliverSoon: () => relay.wake(),
    start: () => relay.start(),
    stop: async () => {
      await relay.stop();
      transport.close();
    },
    relay,
    transport,
    mailbox: caughtIn,
  };
}
