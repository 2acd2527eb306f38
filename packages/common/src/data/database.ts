import { PrismaPg } from '@prisma/adapter-pg';
import type { SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { Counter, type Registry } from 'prom-client';

export type { SqlDriverAdapterFactory };

/** A pooled node-postgres adapter for a subgraph's Prisma client, its search_path set to the subgraph's schema. */
export function postgresAdapter(url: string, poolSize: number, schema: string): SqlDriverAdapterFactory {
  return new PrismaPg({ connectionString: url, max: poolSize, options: `-c search_path=${schema}` });
}

/** Counts the SQL statements a subgraph runs, so tests and dashboards can see queries per request. */
export function databaseQueryCounter(registry: Registry): Counter {
  return new Counter({ name: 'db_queries_total', help: 'SQL statements sent to the database.', registers: [registry] });
}
