import { createHash, randomUUID } from 'node:crypto';
import type { SqlExecutor, SqlSession, SqlTarget } from './sql-target.js';
import { defaultPrismaDir, listSubgraphs, readSubgraph, type CommittedMigration, type Subgraph } from './subgraphs.js';

export type Logger = (line: string) => void;

export interface ApplyMigrationsOptions {
  target: SqlTarget;
  /** Holds one directory per subgraph, each with a schema.prisma and a migrations/ directory. */
  prismaDir?: string;
  /** Only these subgraphs (by directory name); every subgraph when absent. */
  subgraphs?: string[];
  log?: Logger;
}

export interface SubgraphReport {
  subgraph: string;
  postgresSchema: string;
  /** Names of the migrations this run applied, in order; empty when the database was up to date. */
  applied: string[];
}

/** A migration could not be applied (it failed and was rolled back) or the history contradicts the committed files. */
export class MigrationError extends Error {
  constructor(
    readonly subgraph: string,
    readonly migration: string,
    readonly reason: string,
  ) {
    super(`${subgraph}: migration ${migration} ${reason}`);
    this.name = 'MigrationError';
  }
}

interface HistoryRow extends Record<string, unknown> {
  migration_name: string;
  checksum: string;
  finished: boolean;
}

/** Applies every subgraph's pending committed migrations, one transaction per migration; throws MigrationError. */
export async function applyMigrations(options: ApplyMigrationsOptions): Promise<SubgraphReport[]> {
  const prismaDir = options.prismaDir ?? defaultPrismaDir;
  const log = options.log ?? ((line: string) => console.error(line));
  const report: SubgraphReport[] = [];
  for (const name of options.subgraphs ?? (await listSubgraphs(prismaDir))) {
    const subgraph = await readSubgraph(prismaDir, name);
    const applied = await applySubgraphMigrations(options.target, subgraph, log);
    report.push({ subgraph: name, postgresSchema: subgraph.postgresSchema, applied });
  }
  return report;
}

export interface SubgraphStatus {
  subgraph: string;
  postgresSchema: string;
  /** Committed migrations the database has not applied yet, in the order they would apply. */
  pending: string[];
}

/**
 * What `applyMigrations` would apply, without changing anything: no lock, no history table created. A new
 * version's pods ask this before serving; the history is held to the same rules as when applying.
 */
export async function unappliedMigrations(options: ApplyMigrationsOptions): Promise<SubgraphStatus[]> {
  const prismaDir = options.prismaDir ?? defaultPrismaDir;
  const log = options.log ?? ((line: string) => console.error(line));
  const statuses: SubgraphStatus[] = [];
  for (const name of options.subgraphs ?? (await listSubgraphs(prismaDir))) {
    const subgraph = await readSubgraph(prismaDir, name);
    const schema = quoteIdentifier(subgraph.postgresSchema);
    const history = await options.target.session(async (session) => {
      const [table] = await session.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS "present"', [
        `${schema}."_prisma_migrations"`,
      ]);
      return table?.present ? readHistory(session, schema) : [];
    });
    const pending = pendingMigrations(subgraph, history, log).map((migration) => migration.name);
    statuses.push({ subgraph: name, postgresSchema: subgraph.postgresSchema, pending });
  }
  return statuses;
}

/** Brings one subgraph's Postgres schema up to its committed migrations; returns the names it applied. */
export async function applySubgraphMigrations(target: SqlTarget, subgraph: Subgraph, log: Logger): Promise<string[]> {
  const schema = quoteIdentifier(subgraph.postgresSchema);
  return target.session(async (session) => {
    // Taken before the history is read, so a concurrent runner sees what this one applied instead of repeating it.
    const lockKey = advisoryLockKey(subgraph.postgresSchema);
    await session.query('SELECT pg_advisory_lock($1::bigint)', [lockKey]);
    try {
      await createHistoryTable(session, schema);
      const pending = pendingMigrations(subgraph, await readHistory(session, schema), log);
      for (const migration of pending) {
        log(`${subgraph.name}: applying ${migration.name}`);
        await applyMigration(session, schema, subgraph.name, migration);
      }
      return pending.map((migration) => migration.name);
    } finally {
      await session.query('SELECT pg_advisory_unlock($1::bigint)', [lockKey]);
    }
  });
}

function pendingMigrations(subgraph: Subgraph, history: HistoryRow[], log: Logger): CommittedMigration[] {
  const committed = new Map(subgraph.migrations.map((migration) => [migration.name, migration]));
  const applied = new Set<string>();
  for (const row of history) {
    const migration = committed.get(row.migration_name);
    if (!row.finished) {
      throw new MigrationError(
        subgraph.name,
        row.migration_name,
        `is recorded in ${subgraph.postgresSchema}._prisma_migrations as started but never finished; ` +
          'repair the database by hand, then set rolled_back_at on that row',
      );
    }
    if (migration === undefined) {
      log(`${subgraph.name}: ${row.migration_name} is applied but not committed here (newer code deployed?)`);
    } else if (migration.checksum !== row.checksum) {
      throw new MigrationError(
        subgraph.name,
        migration.name,
        `was edited after it was applied: migration.sql has checksum ${migration.checksum}, ` + `the database recorded ${row.checksum}`,
      );
    }
    applied.add(row.migration_name);
  }
  return subgraph.migrations.filter((migration) => !applied.has(migration.name));
}

async function applyMigration(session: SqlSession, schema: string, subgraph: string, migration: CommittedMigration): Promise<void> {
  try {
    await session.transaction(async (tx) => {
      await executeMigrationScript(tx, schema, migration.sql);
      await recordApplied(tx, schema, migration);
    });
  } catch (error) {
    throw new MigrationError(subgraph, migration.name, `failed and was rolled back: ${postgresMessage(error)}`);
  }
}

/** Runs one migration.sql inside the caller's transaction. */
export async function executeMigrationScript(tx: SqlExecutor, quotedSchema: string, sql: string): Promise<void> {
  // Unqualified names in a hand-written migration land in the subgraph's own schema.
  await tx.exec(`SET LOCAL search_path TO ${quotedSchema}, public`);
  await tx.exec(sql);
}

// The table Prisma itself creates, so `prisma migrate status` can read a history written here.
async function createHistoryTable(session: SqlSession, schema: string): Promise<void> {
  await session.exec(`
    CREATE SCHEMA IF NOT EXISTS ${schema};
    CREATE TABLE IF NOT EXISTS ${schema}."_prisma_migrations" (
      "id"                  VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum"            VARCHAR(64) NOT NULL,
      "finished_at"         TIMESTAMPTZ,
      "migration_name"      VARCHAR(255) NOT NULL,
      "logs"                TEXT,
      "rolled_back_at"      TIMESTAMPTZ,
      "started_at"          TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    );`);
}

function readHistory(session: SqlExecutor, schema: string): Promise<HistoryRow[]> {
  return session.query<HistoryRow>(
    `SELECT "migration_name", "checksum", "finished_at" IS NOT NULL AS "finished"
       FROM ${schema}."_prisma_migrations"
      WHERE "rolled_back_at" IS NULL
      ORDER BY "started_at"`,
  );
}

async function recordApplied(tx: SqlExecutor, schema: string, migration: CommittedMigration): Promise<void> {
  await tx.query(
    `INSERT INTO ${schema}."_prisma_migrations"
       ("id", "checksum", "migration_name", "started_at", "finished_at", "applied_steps_count")
     VALUES ($1, $2, $3, now(), clock_timestamp(), 1)`,
    [randomUUID(), migration.checksum, migration.name],
  );
}

function advisoryLockKey(postgresSchema: string): string {
  const digest = createHash('sha256').update(`pyairtable-migrator:${postgresSchema}`).digest();
  return digest.readBigInt64BE().toString();
}

export function quoteIdentifier(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export function postgresMessage(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const detail = (error as { detail?: unknown }).detail;
  return typeof detail === 'string' && detail !== '' ? `${error.message} (${detail})` : error.message;
}
