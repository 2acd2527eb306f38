import { describe, expect, it } from '@jest/globals';
import { isDatabaseUnavailable, isRedisUnavailable, unavailableDependency } from '@pyairtable/common/data';

/** The shape Prisma 7 gives a driver adapter's error: a known-request error whose meta carries the adapter's. */
function prismaAdapterError(cause: Record<string, unknown>) {
  return Object.assign(new Error('driver adapter error'), { code: 'P2010', meta: { driverAdapterError: { cause } } });
}

describe('errors that say a dependency is away', () => {
  it.each([
    ['Prisma cannot reach the server (P1001)', Object.assign(new Error('Can’t reach'), { code: 'P1001' })],
    ['the server closed the connection (P1017)', Object.assign(new Error('closed'), { code: 'P1017' })],
    ['the adapter found the database unreachable', prismaAdapterError({ kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    ['the adapter lost its connection', prismaAdapterError({ kind: 'ConnectionClosed' })],
    ['an administrator shut the server down (57P01)', prismaAdapterError({ kind: 'postgres', code: '57P01', message: 'terminating connection' })],
    ['the database system is starting up (57P03)', prismaAdapterError({ originalCode: '57P03', kind: 'postgres', code: '57P03' })],
    ['a refused socket, wrapped', new Error('query failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) })],
    ['node-postgres losing the connection', new Error('Connection terminated unexpectedly')],
    ['no pooled connection within the wait', new Error('timeout exceeded when trying to connect')],
  ])('%s: the database', (_case, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
    expect(unavailableDependency(error)).toBe('database');
  });

  it.each([
    ['a unique violation', Object.assign(new Error('Unique constraint failed'), { code: 'P2002' })],
    ['a query the server refused', prismaAdapterError({ kind: 'postgres', code: '42P01', message: 'relation does not exist' })],
    ['a plain bug', new TypeError('x is undefined')],
  ])('%s: neither', (_case, error) => {
    expect(unavailableDependency(error)).toBeUndefined();
  });

  it.each([
    ['no connection and no offline queue', new Error("Stream isn't writeable and enableOfflineQueue options is false")],
    ['a command timeout', new Error('Command timed out')],
    ['retries spent', Object.assign(new Error('Reached the max retries per request limit'), { name: 'MaxRetriesPerRequestError' })],
  ])('%s: Redis', (_case, error) => {
    expect(isRedisUnavailable(error)).toBe(true);
    expect(unavailableDependency(error)).toBe('redis');
  });
});
