import type { DomainEvent } from './domain-events.js';

/** The slice of a Prisma client (or interactive transaction) the inbox needs; every generated client fits. */
export interface InboxSqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): Promise<number>;
  $queryRawUnsafe<T = unknown>(query: string, ...values: unknown[]): Promise<T>;
}

/**
 * A consumer's record of the domain events it applied: `<schema>.processed_events (event_id, type, user_id)`.
 * Recording an event in the same transaction as its effect is what makes redelivery harmless; every consumer
 * does it through here.
 */
export class EventInbox {
  private readonly table: string;

  constructor(databaseSchema: string) {
    if (!/^[a-z_][a-z0-9_]*$/.test(databaseSchema)) throw new Error(`not a schema name: ${databaseSchema}`);
    this.table = `"${databaseSchema}"."processed_events"`;
  }

  /**
   * Records `event` as applied, inside the caller's transaction; false when it already was (apply nothing
   * then). Two consumers racing on one event both insert: the second waits for the first's commit, then
   * inserts nothing.
   */
  async record(transaction: InboxSqlClient, event: Pick<DomainEvent, 'id' | 'type'>, userId: string | null): Promise<boolean> {
    const inserted = await transaction.$executeRawUnsafe(
      `INSERT INTO ${this.table} (event_id, type, user_id) VALUES ($1, $2, $3::uuid) ON CONFLICT (event_id) DO NOTHING`,
      event.id,
      event.type,
      userId,
    );
    return inserted === 1;
  }

  /** Whether an event of this type about this user was applied (e.g. a deletion that arrived first). */
  async hasApplied(transaction: InboxSqlClient, type: DomainEvent['type'], userId: string): Promise<boolean> {
    const rows = await transaction.$queryRawUnsafe<unknown[]>(
      `SELECT 1 FROM ${this.table} WHERE user_id = $1::uuid AND type = $2 LIMIT 1`,
      userId,
      type,
    );
    return rows.length > 0;
  }
}
