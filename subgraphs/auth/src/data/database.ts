import { TRANSACTION_OPTIONS, type QueryRecorder, type SqlDriverAdapterFactory } from '@pyairtable/common/data';
import { PrismaClient } from '../generated/prisma/client.js';

export type AuthDatabase = PrismaClient<'query'>;

export function createAuthDatabase(adapter: SqlDriverAdapterFactory, recordQuery: QueryRecorder): AuthDatabase {
  const database = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }], transactionOptions: TRANSACTION_OPTIONS });
  database.$on('query', recordQuery);
  return database;
}
