/** Runs SQL on one database connection. */
export interface SqlExecutor {
  /** One statement, with `$n` parameters. */
  query<Row extends Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
  /** A script of any number of statements, without parameters (a migration.sql). */
  exec(script: string): Promise<void>;
}

export interface SqlSession extends SqlExecutor {
  /** Commits when `work` resolves, rolls back when it throws. */
  transaction<T>(work: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** A database the migrator can open sessions on; a session keeps one connection, so session-level locks hold. */
export interface SqlTarget {
  session<T>(work: (session: SqlSession) => Promise<T>): Promise<T>;
}
