// The embedded database's own thread: PGlite (PostgreSQL in WebAssembly) opens, migrates and answers here, on the
// second core, while the main thread loads and builds the services; a first start is about a second faster. The
// subgraphs reach it through worker-database.ts, which forwards Prisma's driver-adapter calls to the adapter here.
import { parentPort, workerData } from 'node:worker_threads';
import { isDriverAdapterError, type SqlDriverAdapter, type Transaction } from '@prisma/driver-adapter-utils';
import { applyMigrations, pgliteTarget } from '@pyairtable/migrator';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import type { DatabaseMessage, DatabaseReplyValue, DatabaseRequest, DatabaseThreadData, ThreadError } from './database-protocol.js';
import { openEmbeddedDatabase } from './embedded-database.js';

if (!parentPort) throw new Error('database-thread.js runs as a worker thread of the local graph');
const port = parentPort;
const { directory } = workerData as DatabaseThreadData;
const send = (message: DatabaseMessage) => port.postMessage(message);
const log = (line: string) => send({ type: 'log', line });

function describe(error: unknown): ThreadError {
  if (error instanceof Error && isDriverAdapterError(error)) return { kind: 'driver', cause: error.cause };
  return { kind: 'other', message: error instanceof Error ? error.message : String(error) };
}

try {
  const started = performance.now();
  const { database, origin } = await openEmbeddedDatabase(directory, log);
  await applyMigrations({ target: pgliteTarget(database), log });
  const adapter: SqlDriverAdapter = await new PrismaPGlite(database).connect();
  const transactions = new Map<number, Transaction>();
  let lastTransaction = 0;

  const transaction = (id: number) => {
    const open = transactions.get(id);
    if (!open) throw new Error(`transaction ${id} is not open`);
    return open;
  };
  const answer = async (request: DatabaseRequest): Promise<DatabaseReplyValue> => {
    switch (request.call) {
      case 'queryRaw':
        return (request.transaction === undefined ? adapter : transaction(request.transaction)).queryRaw(request.query);
      case 'executeRaw':
        return (request.transaction === undefined ? adapter : transaction(request.transaction)).executeRaw(request.query);
      case 'executeScript':
        await adapter.executeScript(request.script);
        return undefined;
      case 'startTransaction': {
        const begun = await adapter.startTransaction(request.isolationLevel);
        lastTransaction += 1;
        transactions.set(lastTransaction, begun);
        return { transaction: lastTransaction, options: begun.options };
      }
      case 'commit':
      case 'rollback': {
        const open = transaction(request.transaction);
        transactions.delete(request.transaction);
        await (request.call === 'commit' ? open.commit() : open.rollback());
        return undefined;
      }
      case 'close':
        await database.close();
        return undefined;
    }
  };
  port.on('message', (request: DatabaseRequest) => {
    answer(request).then(
      (value) => send({ type: 'reply', id: request.id, ok: true, value }),
      (error: unknown) => send({ type: 'reply', id: request.id, ok: false, error: describe(error) }),
    );
  });
  send({
    type: 'ready',
    origin,
    ms: Math.round(performance.now() - started),
    adapterName: adapter.adapterName,
    connectionInfo: adapter.getConnectionInfo?.() ?? { supportsRelationJoins: false },
  });
} catch (error) {
  send({ type: 'failed', error: describe(error) });
}
