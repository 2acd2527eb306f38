// The embedded PostgreSQL of `npm start`. A new PGlite data folder costs an initdb (seconds of WebAssembly, the
// largest part of a first start), so a migrated database is kept as a template, made when the project installs or
// builds (`npm run db:template`), and a fresh DATA_DIR starts as a copy of it. The template is named after the
// committed migrations and the PGlite version, so a new migration or upgrade never reuses a stale one.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, defaultPrismaDir, listSubgraphs, pgliteTarget, readSubgraph } from '@pyairtable/migrator';

/** Where templates are kept: the repository's node_modules cache, which a fresh clone or `npm ci` starts without. */
const TEMPLATE_DIR = fileURLToPath(new URL('../../node_modules/.cache/pyairtable-local-graph', import.meta.url));

/** The template's file for the committed migrations and this PGlite. */
export async function templateFile(prismaDir = defaultPrismaDir): Promise<string> {
  const hash = createHash('sha256');
  // Its package.json is not exported; it sits above the entry point's dist/.
  const pgliteEntry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const pglitePackage = join(pgliteEntry.slice(0, pgliteEntry.lastIndexOf('/dist/')), 'package.json');
  hash.update((JSON.parse(await readFile(pglitePackage, 'utf8')) as { version: string }).version);
  for (const name of await listSubgraphs(prismaDir)) {
    for (const migration of (await readSubgraph(prismaDir, name)).migrations) hash.update(`${name}/${migration.name}:${migration.checksum}`);
  }
  return join(TEMPLATE_DIR, `pglite-${hash.digest('hex').slice(0, 16)}.tar.gz`);
}

/** A data folder PGlite has initialised holds PG_VERSION. */
function isInitialised(directory: string): boolean {
  return existsSync(join(directory, 'PG_VERSION'));
}

export interface OpenedDatabase {
  database: PGlite;
  /** How the data folder was found: an existing one, or a new one copied from the template. */
  origin: 'existing' | 'template';
}

/**
 * Opens the embedded database in `directory`. A new folder starts as a copy of the template, which is made first
 * if the committed migrations have none yet (once per migration change; installing the project makes it too).
 */
export async function openEmbeddedDatabase(directory: string, log: (line: string) => void): Promise<OpenedDatabase> {
  const absolute = resolve(directory);
  if (isInitialised(absolute)) return { database: await PGlite.create(absolute), origin: 'existing' };
  const template = await prepareTemplate(log);
  await mkdir(absolute, { recursive: true });
  const loadDataDir = new Blob([await readFile(template)]);
  return { database: await PGlite.create(absolute, { loadDataDir }), origin: 'template' };
}

/** Makes the template for the committed migrations, unless it exists. Returns its file. */
export async function prepareTemplate(log: (line: string) => void): Promise<string> {
  const template = await templateFile();
  if (existsSync(template)) return template;
  log('making the embedded database template (once after each migration change): initdb and migrations');
  const scratch = await mkdtemp(join(tmpdir(), 'pyairtable-pglite-template-'));
  try {
    const database = await PGlite.create(scratch);
    try {
      await applyMigrations({ target: pgliteTarget(database), log });
      const dump = await database.dumpDataDir('gzip');
      await mkdir(TEMPLATE_DIR, { recursive: true });
      // Written beside, then renamed: a concurrent start never reads half a template.
      const partial = `${template}.${process.pid}.partial`;
      await writeFile(partial, Buffer.from(await dump.arrayBuffer()));
      await rename(partial, template);
    } finally {
      await database.close();
    }
    // Older templates are for migrations that have since changed.
    for (const file of await readdir(TEMPLATE_DIR)) {
      if (file.startsWith('pglite-') && join(TEMPLATE_DIR, file) !== template) await rm(join(TEMPLATE_DIR, file), { force: true });
    }
    return template;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
