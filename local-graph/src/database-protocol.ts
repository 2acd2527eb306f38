// The messages between the local graph and its database thread (database-thread.ts): the Prisma driver-adapter calls
// the subgraphs make, carried as plain data. Errors cross as data too: a driver error keeps its mapped cause, so
// Prisma sees the same error it would in the same thread.
import type { ConnectionInfo, Error as DriverError, IsolationLevel, SqlQuery, SqlResultSet, TransactionOptions } from '@prisma/driver-adapter-utils';

export interface DatabaseThreadData {
  /** The PGlite data folder, made from the template when new. */
  directory: string;
}

export type DatabaseRequest =
  | { id: number; call: 'queryRaw'; query: SqlQuery; transaction?: number }
  | { id: number; call: 'executeRaw'; query: SqlQuery; transaction?: number }
  | { id: number; call: 'executeScript'; script: string }
  | { id: number; call: 'startTransaction'; isolationLevel?: IsolationLevel }
  | { id: number; call: 'commit' | 'rollback'; transaction: number }
  | { id: number; call: 'close' };

export interface StartedTransaction {
  transaction: number;
  options: TransactionOptions;
}

export type DatabaseReplyValue = SqlResultSet | number | StartedTransaction | undefined;

export type ThreadError = { kind: 'driver'; cause: DriverError } | { kind: 'other'; message: string };

export type DatabaseMessage =
  | { type: 'log'; line: string }
  | { type: 'ready'; origin: 'existing' | 'template'; ms: number; adapterName: string; connectionInfo: ConnectionInfo }
  | { type: 'failed'; error: ThreadError }
  | { type: 'reply'; id: number; ok: true; value: DatabaseReplyValue }
  | { type: 'reply'; id: number; ok: false; error: ThreadError };
