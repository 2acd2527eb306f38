import { dirname } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { executeMigrationScript, MigrationError, postgresMessage, quoteIdentifier } from './apply-migrations.js';
import { pgliteTarget } from './pglite-target.js';
import { withSchemaEngine } from './schema-engine.js';
import { defaultPrismaDir, readSubgraph, type Subgraph } from './subgraphs.js';

export interface PendingSchemaChangesOptions {
  subgraph: string;
  prismaDir?: string;
}

/**
 * The SQL that takes a database holding the subgraph's committed migrations to its schema.prisma;
 * an empty string when they are in sync. Works in-process: the migrations are replayed on a scratch PGlite database.
 */
export async function pendingSchemaChanges(options: PendingSchemaChangesOptions): Promise<string> {
  const subgraph = await readSubgraph(options.prismaDir ?? defaultPrismaDir, options.subgraph);
  const scratch = await emptyScratchDatabase();
  try {
    await replayMigrations(scratch, subgraph);
    return await diffDatabaseToSchema(scratch, subgraph);
  } finally {
    await scratch.close();
  }
}

/** An empty cluster's data folder, made once per process: initdb costs seconds, loading a copy about a tenth of that. */
let emptyDataDir: Promise<Blob> | undefined;

/** A new, empty in-memory database: a copy of the first one this process initialised. */
async function emptyScratchDatabase(): Promise<PGlite> {
  emptyDataDir ??= (async () => {
    const first = await PGlite.create();
    try {
      return await first.dumpDataDir('none');
    } finally {
      await first.close();
    }
  })();
  return PGlite.create({ loadDataDir: await emptyDataDir });
}

// Without the runner's history table: the runner creates the subgraph's schema up front to hold it, which would hide
// a migration's missing CREATE SCHEMA from the diff.
async function replayMigrations(scratch: PGlite, subgraph: Subgraph): Promise<void> {
  const schema = quoteIdentifier(subgraph.postgresSchema);
  await pgliteTarget(scratch).session(async (session) => {
    for (const migration of subgraph.migrations) {
      try {
        await session.transaction((tx) => executeMigrationScript(tx, schema, migration.sql));
      } catch (error) {
        const reason = `fails on an empty database: ${postgresMessage(error)}`;
        throw new MigrationError(subgraph.name, migration.name, reason);
      }
    }
  });
}

async function diffDatabaseToSchema(database: PGlite, subgraph: Subgraph): Promise<string> {
  const schemaFile = { path: subgraph.schemaPath, content: subgraph.schemaContent };
  const result = await withSchemaEngine(schemaFile, adapterFactoryFor(database), (engine) =>
    engine.diff({
      from: { tag: 'schemaDatasource', files: [schemaFile], configDir: dirname(subgraph.schemaPath) },
      to: { tag: 'schemaDatamodel', files: [schemaFile] },
      script: true,
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    }),
  );
  return result.exitCode === 2 ? (result.stdout ?? '') : '';
}

function adapterFactoryFor(database: PGlite): SqlMigrationAwareDriverAdapterFactory {
  // The adapter is typed against an older PGlite release; it only calls query/exec/transaction, which both share.
  const adapter = new PrismaPGlite(database);
  return {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    connect: () => adapter.connect(),
    // The adapter's own would open a PGlite it never closes; diffing a live database needs none.
    connectToShadowDb: () => Promise.reject(new Error('no shadow database: the scratch database is diffed directly')),
  };
}
