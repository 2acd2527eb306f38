/**
 * The outgoing-mail table of a subgraph (outgoing_mail and mail_delivery_attempts in its own Postgres schema),
 * through any subgraph's Prisma client: raw SQL against the few client methods every generated client has.
 */
import { randomUUID } from 'node:crypto';
import type { OutgoingMessage } from './transport.js';

/**
 * What the mail queue needs of a subgraph's Prisma client, or of the transaction client its interactive
 * `$transaction` passes: every generated client fits.
 */
export interface MailSqlClient {
  $queryRawUnsafe<Row = unknown>(query: string, ...values: unknown[]): PromiseLike<Row>;
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
}

/** A message to write: whom to, which template it came from, and its rendered parts. */
export interface MailToEnqueue {
  to: string;
  /** The template kind (e.g. 'verify-email'); kept for the record and the logs. */
  kind: string;
  subject: string;
  text: string;
  html: string;
}

/** Schema names come from code (e.g. 'pyairtable_auth'), never from input; this keeps it that way. */
function qualifiedTable(databaseSchema: string, table: 'outgoing_mail' | 'mail_delivery_attempts'): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(databaseSchema)) throw new Error(`not a schema name: ${databaseSchema}`);
  return `"${databaseSchema}"."${table}"`;
}

/**
 * Writes a message into the subgraph's outgoing mail. Call it inside the transaction of the change that
 * causes the message (Prisma's interactive `$transaction`), so a change that rolls back sends nothing; then
 * wake the relay once the transaction committed. Returns the message's id.
 */
export async function enqueueMail(transaction: MailSqlClient, databaseSchema: string, message: MailToEnqueue): Promise<string> {
  const id = randomUUID();
  await transaction.$executeRawUnsafe(
    `INSERT INTO ${qualifiedTable(databaseSchema, 'outgoing_mail')} (id, recipient, kind, subject, text_body, html_body)
     VALUES ($1::uuid, $2, $3, $4, $5, $6)`,
    id,
    message.to,
    message.kind,
    message.subject,
    message.text,
    message.html,
  );
  return id;
}

/** A message a relay claimed: its lease runs until it is recorded sent or failed. */
export interface ClaimedMail extends OutgoingMessage {
  kind: string;
  /** Attempts made before this one. */
  attempts: number;
}

export interface FailedAttempt {
  error: string;
  smtpResponse?: string | undefined;
  /** When to try again, or null to give up (the message becomes failed). */
  retryInMs: number | null;
}

/** The queue as the relay sees it. */
export interface MailQueue {
  /**
   * Claims up to `limit` due messages (pending and due, or sending with an expired lease), oldest due first,
   * skipping those another relay holds, and marks them sending until `leaseMs` from now.
   */
  claimDue(limit: number, leaseMs: number): Promise<ClaimedMail[]>;
  /** Records a successful attempt; the message is sent. */
  recordSent(mail: ClaimedMail, smtpResponse: string | undefined): Promise<void>;
  /** Records a failed attempt; the message is due again after `retryInMs`, or failed. */
  recordFailure(mail: ClaimedMail, failure: FailedAttempt): Promise<void>;
}

interface ClaimedRow {
  id: string;
  recipient: string;
  kind: string;
  subject: string;
  text_body: string;
  html_body: string;
  attempts: number;
}

/** Errors and server replies are kept for the record, not in full. */
const MAX_RECORDED_TEXT = 1_000;
const recorded = (text: string | undefined) => (text === undefined ? null : text.slice(0, MAX_RECORDED_TEXT));

/**
 * One subgraph's outgoing mail in Postgres; every change is a single statement (its own short transaction).
 * Claiming locks due rows with `FOR UPDATE SKIP LOCKED` and leases them in that statement, so relays in
 * several processes each take different messages and none sends one twice while a lease holds. A relay that
 * dies mid-send leaves its messages sending; they are due again when the lease ends, which can send such a
 * message twice: delivery is at least once. Outcomes only change a message still sending, so a relay whose
 * lease ran out cannot undo what the relay that took over recorded.
 */
export class SqlMailQueue implements MailQueue {
  private readonly mailTable: string;
  private readonly attemptsTable: string;

  constructor(
    private readonly database: MailSqlClient,
    databaseSchema: string,
  ) {
    this.mailTable = qualifiedTable(databaseSchema, 'outgoing_mail');
    this.attemptsTable = qualifiedTable(databaseSchema, 'mail_delivery_attempts');
  }

  async claimDue(limit: number, leaseMs: number): Promise<ClaimedMail[]> {
    const rows = await this.database.$queryRawUnsafe<ClaimedRow[]>(
      `WITH due AS (
         SELECT id FROM ${this.mailTable}
         WHERE (status = 'pending' AND next_attempt_at <= now()) OR (status = 'sending' AND locked_until <= now())
         ORDER BY next_attempt_at
         LIMIT $1
         FOR UPDATE SKIP LOCKED
       )
       UPDATE ${this.mailTable} AS mail
       SET status = 'sending', locked_until = now() + $2::integer * interval '1 millisecond'
       FROM due WHERE mail.id = due.id
       RETURNING mail.id::text, mail.recipient, mail.kind, mail.subject, mail.text_body, mail.html_body, mail.attempts`,
      limit,
      leaseMs,
    );
    return rows.map((row) => ({
      id: row.id,
      to: row.recipient,
      kind: row.kind,
      subject: row.subject,
      text: row.text_body,
      html: row.html_body,
      attempts: row.attempts,
    }));
  }

  // Each outcome is one statement: the attempt's row and the message's new state, atomically, in one round trip.

  async recordSent(mail: ClaimedMail, smtpResponse: string | undefined): Promise<void> {
    // The bodies carry live tokens: once handed over, they need not stay in the database.
    await this.database.$executeRawUnsafe(
      `WITH attempt AS (
         INSERT INTO ${this.attemptsTable} (id, mail_id, outcome, smtp_response) VALUES ($1::uuid, $2::uuid, 'sent', $3)
       )
       UPDATE ${this.mailTable}
       SET status = 'sent', attempts = attempts + 1, sent_at = now(), locked_until = NULL, last_error = NULL,
           text_body = '', html_body = ''
       WHERE id = $2::uuid AND status = 'sending'`,
      randomUUID(),
      mail.id,
      recorded(smtpResponse),
    );
  }

  async recordFailure(mail: ClaimedMail, { error, smtpResponse, retryInMs }: FailedAttempt): Promise<void> {
    const attempt = `WITH attempt AS (
         INSERT INTO ${this.attemptsTable} (id, mail_id, outcome, error, smtp_response) VALUES ($1::uuid, $2::uuid, 'failed', $3, $4)
       )`;
    const values = [randomUUID(), mail.id, recorded(error), recorded(smtpResponse)];
    if (retryInMs === null) {
      await this.database.$executeRawUnsafe(
        `${attempt}
         UPDATE ${this.mailTable}
         SET status = 'failed', attempts = attempts + 1, locked_until = NULL, last_error = $3, text_body = '', html_body = ''
         WHERE id = $2::uuid AND status = 'sending'`,
        ...values,
      );
    } else {
      await this.database.$executeRawUnsafe(
        `${attempt}
         UPDATE ${this.mailTable}
         SET status = 'pending', attempts = attempts + 1, locked_until = NULL, last_error = $3,
             next_attempt_at = now() + $5::integer * interval '1 millisecond'
         WHERE id = $2::uuid AND status = 'sending'`,
        ...values,
        Math.round(retryInMs),
      );
    }
  }
}
