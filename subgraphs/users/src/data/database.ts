import { TRANSACTION_OPTIONS, type QueryRecorder, type SqlDriverAdapterFactory } from '@pyairtable/common/data';
import { PrismaClient } from '../generated/prisma/client.js';

export type UsersDatabase = PrismaClient<'query'>;

export function createUsersDatabase(adapter: SqlDriverAdapterFactory, recordQuery: QueryRecorder): UsersDatabase {
  const database = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }], transactionOptions: TRANSACTION_OPTIONS });
  database.$on('query', recordQuery);
  return database;
}
