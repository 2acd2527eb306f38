import type { PGliteInterface, Transaction } from '@electric-sql/pglite';
import type { SqlExecutor, SqlTarget } from './sql-target.js';

export type PGliteDatabase = Pick<PGliteInterface, 'query' | 'exec' | 'transaction'>;

/** An in-process PGlite database owned by the caller (it is not closed here). */
export function pgliteTarget(db: PGliteDatabase): SqlTarget {
  return {
    session: (work) =>
      work({
        ...pgliteExecutor(db),
        transaction: (transactionWork) => db.transaction((tx) => transactionWork(pgliteExecutor(tx))),
      }),
  };
}

function pgliteExecutor(db: PGliteDatabase | Transaction): SqlExecutor {
  return {
    async query<Row extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(script) {
      await db.exec(script);
    },
  };
}
