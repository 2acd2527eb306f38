import pg from 'pg';
import type { SqlExecutor, SqlSession, SqlTarget } from './sql-target.js';

/** A Postgres server reached with node-postgres; each session is its own connection. */
export function pgTarget(connectionString: string): SqlTarget {
  return {
    async session(work) {
      const client = new pg.Client({ connectionString });
      client.on('error', () => {
        // A dropped connection also fails the query in flight, which reports it; without a listener it would crash
        // the process instead.
      });
      await client.connect();
      try {
        return await work(pgSession(client));
      } finally {
        await client.end();
      }
    },
  };
}

function pgSession(client: pg.Client): SqlSession {
  const executor: SqlExecutor = {
    async query<Row extends Record<string, unknown>>(sql: string, params: readonly unknown[] = []) {
      const result = await client.query<Row>(sql, [...params]);
      return result.rows;
    },
    async exec(script) {
      // Without parameters node-postgres uses the simple query protocol, which runs a whole multi-statement script.
      await client.query(script);
    },
  };
  return {
    ...executor,
    async transaction(work) {
      await client.query('BEGIN');
      try {
        const result = await work(executor);
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
    },
  };
}
