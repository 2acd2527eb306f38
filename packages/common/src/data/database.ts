import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { Counter, type Registry } from 'prom-client';
import { currentRequestId } from '../http/request-context.js';
import type { Logger } from '../observability/logger.js';

export type { SqlDriverAdapterFactory };

/**
 * How long a statement or a transaction may wait for a connection, a free pooled one or a new one being opened,
 * before it fails with SERVICE_UNAVAILABLE: a database that does not answer fails requests rather than hanging them,
 * while a burst of more requests than the pool has connections queues and is served. Well inside the router's
 * subgraph timeout (SUBGRAPH_TIMEOUT_MS, 10 s by default). At 2 s, 40 registrations at once on a loaded machine drew
 * "database unavailable" for some with the database up.
 */
export const CONNECTION_WAIT_MS = 5_000;

/** Prisma's own wait for a transaction's connection (2 s by default), the same as the pool's. */
export const TRANSACTION_OPTIONS = { maxWait: CONNECTION_WAIT_MS } as const;

/**
 * A pooled node-postgres adapter for a subgraph's Prisma client, its search_path set to the subgraph's schema. The
 * pool drops a connection that fails and opens a new one for the next query, so it recovers by itself after a
 * database restart; connection errors are logged as JSON lines.
 */
export function postgresAdapter(url: string, poolSize: number, schema: string, logger?: Logger): SqlDriverAdapterFactory {
  const log = logger?.child({ dependency: 'database' });
  const onError = (error: Error) => log?.warn({ err: error }, 'database connection error; the pool reconnects');
  return new PrismaPg(
    { connectionString: url, max: poolSize, options: `-c search_path=${schema}`, connectionTimeoutMillis: CONNECTION_WAIT_MS },
    { onPoolError: onError, onConnectionError: onError },
  );
}

/** Records one SQL statement sent to the database. */
export type QueryRecorder = () => void;

/**
 * Counts the SQL statements a subgraph runs, so tests and dashboards can see queries per request:
 * `origin="request"` for those run while answering a request, `origin="background"` for relays and consumers.
 */
export function databaseQueryCounter(registry: Registry): QueryRecorder {
  const counter = new Counter({
    name: 'db_queries_total',
    help: 'SQL statements sent to the database, by origin (request or background work).',
    labelNames: ['origin'],
    registers: [registry],
  });
  return () => counter.inc({ origin: currentRequestId() === undefined ? 'background' : 'request' });
}
