/**
 * Keeps the event plumbing from growing without bound, and shows how far behind it is: published outbox rows and
 * old processed-event records are purged after a retention, the stream is trimmed up to what every consumer group
 * has acknowledged, and gauges give the outbox backlog and each consumer group's lag.
 */
import { Gauge, type Registry } from 'prom-client';
import type { Logger } from '../observability/logger.js';

/** The slice of a Prisma client the housekeeping needs. */
export interface HousekeepingSqlClient {
  $executeRawUnsafe(query: string, ...values: unknown[]): PromiseLike<number>;
  $queryRawUnsafe<Row = unknown>(query: string, ...values: unknown[]): PromiseLike<Row>;
}

/** The event stream's side: trimming what every group acknowledged, and how many entries each group has yet to read. */
export interface EventStreamMaintenance {
  /** Deletes the entries every consumer group has acknowledged; returns how many. */
  trimAcknowledged(): Promise<number>;
  /** Entries not yet delivered to each of these groups (undefined when Redis cannot tell). */
  groupLag(groups: readonly string[]): Promise<Map<string, number | undefined>>;
}

export interface EventHousekeepingOptions {
  database: HousekeepingSqlClient;
  databaseSchema: string;
  /** Whether this subgraph writes an outbox (auth and workspaces do). */
  hasOutbox: boolean;
  /** The consumer groups this subgraph runs, for the lag gauge. */
  consumerGroups: readonly string[];
  stream?: EventStreamMaintenance;
  /** How long published outbox rows and processed-event records are kept. */
  retentionHours: number;
  registry: Registry;
  logger: Logger;
  /** How often gauges are refreshed and the stream trimmed. */
  intervalMs?: number;
  /** How often the tables are purged. */
  purgeIntervalMs?: number;
}

/**
 * Deletions are tombstones: a late user.registered must still find that the account was deleted, so its record
 * stays (one row per deleted account).
 */
const KEPT_EVENT_TYPES = ['user.deleted'];

export class EventHousekeeping {
  private readonly outboxTable: string;
  private readonly inboxTable: string;
  private readonly backlog: Gauge;
  private readonly lag: Gauge<'group'>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private lastPurgeAt = 0;
  private failing = false;

  constructor(private readonly options: EventHousekeepingOptions) {
    if (!/^[a-z_][a-z0-9_]*$/.test(options.databaseSchema)) throw new Error(`not a schema name: ${options.databaseSchema}`);
    this.outboxTable = `"${options.databaseSchema}"."outbox_events"`;
    this.inboxTable = `"${options.databaseSchema}"."processed_events"`;
    this.backlog = new Gauge({
      name: 'outbox_backlog_events',
      help: 'Domain events written to this subgraph’s outbox and not yet published.',
      registers: [options.registry],
    });
    this.lag = new Gauge({
      name: 'event_consumer_group_lag',
      help: 'Stream entries not yet delivered to this subgraph’s consumer groups.',
      labelNames: ['group'],
      registers: [options.registry],
    });
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.run(), this.options.intervalMs ?? 15_000);
    this.timer.unref();
    void this.run();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One round (never two at once); failures are logged once per outage. */
  run(): Promise<void> {
    this.running ??= this.round()
      .then(
        () => {
          this.failing = false;
        },
        (error: unknown) => {
          if (!this.failing) this.options.logger.warn({ err: error }, 'event housekeeping failed; will retry');
          this.failing = true;
        },
      )
      .finally(() => {
        this.running = undefined;
      });
    return this.running;
  }

  private async round(): Promise<void> {
    const { database, hasOutbox, stream, consumerGroups, retentionHours } = this.options;
    if (Date.now() - this.lastPurgeAt >= (this.options.purgeIntervalMs ?? 10 * 60_000)) {
      const retention = `${retentionHours} hours`;
      const purgedOutbox = hasOutbox
        ? await database.$executeRawUnsafe(`DELETE FROM ${this.outboxTable} WHERE published_at < now() - $1::interval`, retention)
        : 0;
      const purgedInbox = await database.$executeRawUnsafe(
        `DELETE FROM ${this.inboxTable} WHERE processed_at < now() - $1::interval AND type <> ALL($2::text[])`,
        retention,
        KEPT_EVENT_TYPES,
      );
      this.lastPurgeAt = Date.now();
      if (purgedOutbox + purgedInbox > 0) this.options.logger.info({ purgedOutbox, purgedInbox }, 'purged event records past their retention');
    }
    if (hasOutbox) {
      const [row] = await database.$queryRawUnsafe<Array<{ count: bigint | number }>>(
        `SELECT count(*) AS count FROM ${this.outboxTable} WHERE published_at IS NULL`,
      );
      this.backlog.set(Number(row?.count ?? 0));
    }
    if (!stream) return;
    await stream.trimAcknowledged();
    for (const [group, lag] of await stream.groupLag(consumerGroups)) if (lag !== undefined) this.lag.set({ group }, lag);
  }
}
