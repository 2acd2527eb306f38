import { TRANSACTION_OPTIONS, type QueryRecorder, type SqlDriverAdapterFactory } from '@pyairtable/common/data';
import { PrismaClient } from '../generated/prisma/client.js';

export type WorkspacesDatabase = PrismaClient<'query'>;

/** The subgraph's Prisma client; every statement it sends counts towards db_queries_total. */
export function createWorkspacesDatabase(adapter: SqlDriverAdapterFactory, recordQuery: QueryRecorder): WorkspacesDatabase {
  const database = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }], transactionOptions: TRANSACTION_OPTIONS });
  database.$on('query', recordQuery);
  return database;
}
