import type { Counter } from 'prom-client';
import type { SqlDriverAdapterFactory } from '@pyairtable/common/data';
import { PrismaClient } from '../generated/prisma/client.js';

export type AuthDatabase = PrismaClient<'query'>;

export function createAuthDatabase(adapter: SqlDriverAdapterFactory, queryCounter: Counter): AuthDatabase {
  const database = new PrismaClient({ adapter, log: [{ emit: 'event', level: 'query' }] });
  database.$on('query', () => queryCounter.inc());
  return database;
}
