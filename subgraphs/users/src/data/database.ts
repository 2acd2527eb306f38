import type { QueryRecorder, SqlDriverAdapterFactory } from '@pyairtable/common/data';
import { PrismaClient } from '../generated/prisma/client.js';

export type UsersDatabase = PrismaClient<'query'>;

export function createUsersDatabase(adapter: SqlDriverAdapterFactory, recordQuery: QueryRecorder): UsersDatabase {
  const database = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  database.$on('query', recordQuery);
  return database;
}
