import { randomUUID } from 'node:crypto';
import { parseDomainEvent, type DomainEvent, type DomainEventBody, type OutboxSource } from '@pyairtable/common/events';
import type { Prisma } from '../generated/prisma/client.js';
import type { AuthDatabase } from './database.js';

/** Publishing holds row locks while it talks to Redis; this bounds how long a stuck publish can hold them. */
const PUBLISH_TRANSACTION_TIMEOUT_MS = 15_000;

/** Writes an event into the outbox inside the caller's transaction, so it exists exactly when the change does. */
export async function appendToOutbox(transaction: Prisma.TransactionClient, event: DomainEventBody): Promise<void> {
  await transaction.outboxEvent.create({ data: { id: randomUUID(), type: event.type, payload: event.data } });
}

interface OutboxRow {
  id: string;
  type: string;
  payload: unknown;
  occurredAt: Date;
}

/** The auth outbox as the relay sees it. Several auth replicas may relay at once: each claims different rows. */
export class OutboxStore implements OutboxSource {
  constructor(private readonly database: AuthDatabase) {}

  publishBatch(limit: number, publish: (events: DomainEvent[]) => Promise<void>): Promise<number> {
    return this.database.$transaction(
      async (transaction) => {
        const rows = await transaction.$queryRaw<OutboxRow[]>`
          SELECT id, type, payload, occurred_at AS "occurredAt"
          FROM pyairtable_auth.outbox_events
          WHERE published_at IS NULL
          ORDER BY sequence
          LIMIT ${limit}
          FOR UPDATE SKIP LOCKED`;
        if (rows.length === 0) return 0;
        await publish(
          rows.map((row) => parseDomainEvent({ id: row.id, type: row.type, data: row.payload, occurredAt: row.occurredAt.toISOString() })),
        );
        await transaction.outboxEvent.updateMany({
          where: { id: { in: rows.map((row) => row.id) } },
          data: { publishedAt: new Date() },
        });
        return rows.length;
      },
      { timeout: PUBLISH_TRANSACTION_TIMEOUT_MS },
    );
  }
}
