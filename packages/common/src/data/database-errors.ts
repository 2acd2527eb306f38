import { ERRORS } from '../errors/registry.js';

/** Prisma's known-request error codes we translate (https://www.prisma.io/docs/orm/reference/error-reference). */
const UNIQUE_VIOLATION = 'P2002';
const RECORD_NOT_FOUND = 'P2025';

export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' && /^P\d{4}$/.test(code) ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return prismaErrorCode(error) === UNIQUE_VIOLATION;
}

export function isRecordNotFound(error: unknown): boolean {
  return prismaErrorCode(error) === RECORD_NOT_FOUND;
}

export interface DatabaseErrorMessages {
  /** Answer for a unique violation: CONFLICT with this message. */
  conflict?: string;
  /** Answer for a write to a row that is not there: NOT_FOUND with this message. */
  notFound?: string;
}

/** Runs a write and turns the database errors a caller can cause into registry errors; others propagate. */
export async function translateDatabaseErrors<T>(messages: DatabaseErrorMessages, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (messages.conflict && isUniqueViolation(error)) throw ERRORS.CONFLICT(messages.conflict);
    if (messages.notFound && isRecordNotFound(error)) throw ERRORS.NOT_FOUND(messages.notFound);
    throw error;
  }
}

/**
 * Prisma's codes for a database it cannot reach or that dropped the connection: can't reach (P1001), timed out
 * (P1002, P1008), server closed the connection (P1017), no pooled connection in time (P2024), a transaction that
 * could not start in time (P2028).
 */
const UNAVAILABLE_PRISMA_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2028']);
/** What the driver adapter reports for the same (@prisma/driver-adapter-utils error kinds). */
const UNAVAILABLE_ADAPTER_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections', 'TlsConnectionError']);
/**
 * PostgreSQL SQLSTATEs of a server going away or not accepting work yet: connection exceptions (08…), admin
 * or crash shutdown and "the database system is starting up" (57P01–57P03), too many connections (53300).
 */
const UNAVAILABLE_SQLSTATES = /^(08...|57P0[1-3]|53300)$/;
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH']);
/**
 * node-postgres says so only in words: when a connection ends under it, and when no connection came within the
 * pool's wait (pg-pool's "timeout exceeded when trying to connect", for a database that does not answer or a pool
 * saturated that long).
 */
const UNAVAILABLE_MESSAGES =
  /Connection terminated|connection timeout|timeout exceeded when trying to connect|Client has encountered a connection error|Can't reach database server/i;

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && key in value ? (value as Record<string, unknown>)[key] : undefined;
}

/** The error and what it wraps (cause, Prisma's meta.driverAdapterError and its cause), nearest first. */
function errorChain(error: unknown): unknown[] {
  const chain: unknown[] = [];
  const pending = [error];
  while (pending.length > 0 && chain.length < 10) {
    const current = pending.shift();
    if (typeof current !== 'object' || current === null || chain.includes(current)) continue;
    chain.push(current);
    pending.push(field(current, 'cause'), field(field(current, 'meta'), 'driverAdapterError'));
  }
  return chain;
}

/**
 * Whether an error says the database is unreachable, restarting or dropped the connection (as opposed to a
 * query it refused): the request may succeed once it is back, so clients get SERVICE_UNAVAILABLE.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (typeof error === 'object' && error !== null && error.constructor.name === 'PrismaClientInitializationError') return true;
  return errorChain(error).some((link) => {
    const code = field(link, 'code');
    const kind = field(link, 'kind');
    const originalCode = field(link, 'originalCode');
    const message = field(link, 'message');
    if (typeof code === 'string' && (UNAVAILABLE_PRISMA_CODES.has(code) || UNAVAILABLE_SQLSTATES.test(code) || UNAVAILABLE_SOCKET_CODES.has(code)))
      return true;
    if (typeof kind === 'string' && UNAVAILABLE_ADAPTER_KINDS.has(kind)) return true;
    if (kind === 'postgres' && typeof code === 'string' && UNAVAILABLE_SQLSTATES.test(code)) return true;
    if (typeof originalCode === 'string' && UNAVAILABLE_SQLSTATES.test(originalCode)) return true;
    return typeof message === 'string' && UNAVAILABLE_MESSAGES.test(message);
  });
}

/** ioredis's errors for a Redis that is away: no connection and no offline queue, a command timeout, retries spent. */
const REDIS_UNAVAILABLE_MESSAGES = /Stream isn't writeable|Command timed out|Connection is closed|MaxRetriesPerRequest|ECONNREFUSED|ECONNRESET/;

export function isRedisUnavailable(error: unknown): boolean {
  return errorChain(error).some((link) => {
    const name = field(link, 'name');
    const message = field(link, 'message');
    return name === 'MaxRetriesPerRequestError' || (typeof message === 'string' && REDIS_UNAVAILABLE_MESSAGES.test(message));
  });
}

/** The dependency an unexpected error says is away, if it is one: its error becomes SERVICE_UNAVAILABLE. */
export function unavailableDependency(error: unknown): 'database' | 'redis' | undefined {
  if (isDatabaseUnavailable(error)) return 'database';
  if (isRedisUnavailable(error)) return 'redis';
  return undefined;
}
