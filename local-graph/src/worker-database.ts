// The main thread's side of the embedded database: starts database-thread.js and gives each subgraph a Prisma
// driver adapter whose calls run there. Prisma sees the adapter it would in one thread, errors included.
import { Worker } from 'node:worker_threads';
import {
  DriverAdapterError,
  type ConnectionInfo,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
  type TransactionOptions,
} from '@prisma/driver-adapter-utils';
import type {
  DatabaseMessage,
  DatabaseReplyValue,
  DatabaseRequest,
  DatabaseThreadData,
  StartedTransaction,
  ThreadError,
} from './database-protocol.js';

type Call = DatabaseRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

// The compiled thread, from dist/ and from src/ alike: a worker does not get tsx's loader, so run from the sources
// (tsx) it runs the build (tsc -b), with node's own options (not the "development" condition that names sources).
const THREAD_MODULE = new URL('../dist/database-thread.js', import.meta.url);

function toError(error: ThreadError): Error {
  return error.kind === 'driver' ? new DriverAdapterError(error.cause) : new Error(error.message);
}

export interface OpenedWorkerDatabase {
  database: WorkerDatabase;
  origin: 'existing' | 'template';
  ms: number;
}

export class WorkerDatabase {
  private lastRequest = 0;
  /** Why the thread is gone, once it is: later calls fail at once instead of waiting for an answer that cannot come. */
  private stopped: Error | undefined;
  private readonly pending = new Map<number, { resolve: (value: DatabaseReplyValue) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly worker: Worker,
    readonly adapterName: string,
    readonly connectionInfo: ConnectionInfo,
  ) {
    worker.on('message', (message: DatabaseMessage) => {
      if (message.type !== 'reply') return;
      const waiting = this.pending.get(message.id);
      this.pending.delete(message.id);
      if (message.ok) waiting?.resolve(message.value);
      else waiting?.reject(toError(message.error));
    });
    worker.on('error', (error) => this.failAll(error));
    worker.on('exit', () => this.failAll(new Error('the embedded database thread stopped')));
  }

  /** Starts the database thread on `directory` and resolves once it is open and migrated. */
  static open(directory: string, log: (line: string) => void): Promise<OpenedWorkerDatabase> {
    const workerData: DatabaseThreadData = { directory };
    const worker = new Worker(THREAD_MODULE, { workerData, execArgv: [] });
    return new Promise((resolve, reject) => {
      const onMessage = (message: DatabaseMessage) => {
        if (message.type === 'log') log(message.line);
        else if (message.type === 'failed') {
          void worker.terminate();
          reject(toError(message.error));
        } else if (message.type === 'ready') {
          resolve({ database: new WorkerDatabase(worker, message.adapterName, message.connectionInfo), origin: message.origin, ms: message.ms });
        }
      };
      worker.on('message', onMessage);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`the embedded database thread exited (${code}) before it opened`)));
    });
  }

  request(call: Call): Promise<DatabaseReplyValue> {
    if (this.stopped) return Promise.reject(this.stopped);
    this.lastRequest += 1;
    const id = this.lastRequest;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...call, id } satisfies DatabaseRequest);
    });
  }

  /** A Prisma driver adapter factory whose queries run in the database thread. */
  adapterFactory(): SqlDriverAdapterFactory {
    return { provider: 'postgres', adapterName: this.adapterName, connect: () => Promise.resolve(new WorkerAdapter(this)) };
  }

  async close(): Promise<void> {
    if (!this.stopped) await this.request({ call: 'close' });
    await this.worker.terminate();
  }

  private failAll(error: Error) {
    this.stopped ??= error;
    for (const waiting of this.pending.values()) waiting.reject(error);
    this.pending.clear();
  }
}

class WorkerQueryable {
  readonly provider = 'postgres';
  readonly adapterName: string;

  constructor(
    protected readonly database: WorkerDatabase,
    private readonly transaction?: number,
  ) {
    this.adapterName = database.adapterName;
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    return (await this.database.request({ call: 'queryRaw', query, transaction: this.transaction })) as SqlResultSet;
  }

  async executeRaw(query: SqlQuery): Promise<number> {
    return (await this.database.request({ call: 'executeRaw', query, transaction: this.transaction })) as number;
  }
}

class WorkerTransaction extends WorkerQueryable implements Transaction {
  constructor(
    database: WorkerDatabase,
    private readonly id: number,
    readonly options: TransactionOptions,
  ) {
    super(database, id);
  }

  async commit(): Promise<void> {
    await this.database.request({ call: 'commit', transaction: this.id });
  }

  async rollback(): Promise<void> {
    await this.database.request({ call: 'rollback', transaction: this.id });
  }
}

class WorkerAdapter extends WorkerQueryable implements SqlDriverAdapter {
  async executeScript(script: string): Promise<void> {
    await this.database.request({ call: 'executeScript', script });
  }

  async startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    const { transaction, options } = (await this.database.request({ call: 'startTransaction', isolationLevel })) as StartedTransaction;
    return new WorkerTransaction(this.database, transaction, options);
  }

  getConnectionInfo(): ConnectionInfo {
    return this.database.connectionInfo;
  }

  dispose(): Promise<void> {
    return Promise.resolve();
  }
}
