/**
 * A subgraph's outbox table (`<schema>.outbox_events`), through any subgraph's Prisma client: events are written
 * in the transaction of the change that causes them, and the relay (OutboxRelay) publishes them from here.
 */
import { randomUUID } from 'node:crypto';
import type { DomainEvent, DomainEventBody } from './domain-events.js';
import { parseDomainEvent } from './event-format.js';
import type { OutboxSource } from './outbox-relay.js';

/** What the outbox needs of a Prisma client or of the transaction client its interactive `$transaction` passes. */
export interface OutboxSqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<Row = unknown>(query: string, ...values: unknown[]): PromiseLike<Row>;
}

/** A subgraph's Prisma client: the relay claims and marks rows in one interactive transaction. */
export interface OutboxDatabase {
  $transaction<T>(work: (transaction: OutboxSqlClient) => Promise<T>, options?: { timeout?: number }): Promise<T>;
}

/** Publishing holds row locks while it talks to Redis; this bounds how long a stuck publish can hold them. */
const PUBLISH_TRANSACTION_TIMEOUT_MS = 15_000;

interface OutboxRow {
  id: string;
  type: string;
  payload: string;
  occurredAt: Date;
}

/**
 * The outbox of one subgraph's Postgres schema: `outbox_events (id uuid, sequence bigserial, type, payload jsonb,
 * occurred_at, published_at)`. Several replicas may relay at once: each claims different rows.
 */
export class SqlOutbox implements OutboxSource {
  private readonly table: string;

  constructor(
    private readonly database: OutboxDatabase,
    databaseSchema: string,
  ) {
    // Schema names come from code (e.g. 'pyairtable_workspaces'), never from input; this keeps it that way.
    if (!/^[a-z_][a-z0-9_]*$/.test(databaseSchema)) throw new Error(`not a schema name: ${databaseSchema}`);
    this.table = `"${databaseSchema}"."outbox_events"`;
  }

  /**
   * Writes an event inside the caller's transaction, so it exists exactly when the change does; flush the relay
   * once the transaction committed. Returns the event's id.
   */
  async append(transaction: OutboxSqlClient, event: DomainEventBody): Promise<string> {
    const id = randomUUID();
    await transaction.$executeRawUnsafe(
      `INSERT INTO ${this.table} (id, type, payload) VALUES ($1::uuid, $2, $3::jsonb)`,
      id,
      event.type,
      JSON.stringify(event.data),
    );
    return id;
  }

  publishBatch(limit: number, publish: (events: DomainEvent[]) => Promise<void>): Promise<number> {
    return this.database.$transaction(
      async (transaction) => {
        const rows = await transaction.$queryRawUnsafe<OutboxRow[]>(
          `SELECT id::text, type, payload::text AS payload, occurred_at AS "occurredAt"
           FROM ${this.table}
           WHERE published_at IS NULL
           ORDER BY sequence
           LIMIT $1
           FOR UPDATE SKIP LOCKED`,
          limit,
        );
        if (rows.length === 0) return 0;
        await publish(
          rows.map((row) =>
            parseDomainEvent({
              id: row.id,
              type: row.type,
              data: JSON.parse(row.payload) as unknown,
              occurredAt: new Date(row.occurredAt).toISOString(),
            }),
          ),
        );
        await transaction.$executeRawUnsafe(
          `UPDATE ${this.table} SET published_at = now() WHERE id = ANY($1::uuid[])`,
          rows.map((row) => row.id),
        );
        return rows.length;
      },
      { timeout: PUBLISH_TRANSACTION_TIMEOUT_MS },
    );
  }
}
