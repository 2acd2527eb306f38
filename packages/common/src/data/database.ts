import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { Counter, type Registry } from 'prom-client';
import { currentRequestId } from '../http/request-context.js';

export type { SqlDriverAdapterFactory };

/** A pooled node-postgres adapter for a subgraph's Prisma client, its search_path set to the subgraph's schema. */
export function postgresAdapter(url: string, poolSize: number, schema: string): SqlDriverAdapterFactory {
  return new PrismaPg({ connectionString: url, max: poolSize, options: `-c search_path=${schema}` });
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
