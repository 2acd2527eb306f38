// The embedded PostgreSQL of `npm start`. A new PGlite data folder costs an initdb (seconds of WebAssembly, the
// largest part of a first start), so a migrated database is kept as a template, made when the project installs or
// builds (`npm run db:template`), and a fresh DATA_DIR starts as a copy of it. The template is a closed data folder,
// copied with the file system (PGlite's own tarball loading writes each file through WebAssembly: a second slower). It
// is named after the committed migrations and the PGlite version, so a new migration or upgrade never reuses a
// stale one.
import { createHash } from 'node:crypto';
import { existsSync, type Dirent } from 'node:fs';
import { copyFile, mkdir, mkdtemp, readFile, readdir, rename, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { applyMigrations, defaultPrismaDir, listSubgraphs, pgliteTarget, readSubgraph } from '@pyairtable/migrator';

/** Where templates are kept: the repository's node_modules cache, which a fresh clone or `npm ci` starts without. */
const TEMPLATE_DIR = fileURLToPath(new URL('../../node_modules/.cache/pyairtable-local-graph', import.meta.url));

/** The template's folder for the committed migrations and this PGlite. */
export async function templateFolder(prismaDir = defaultPrismaDir): Promise<string> {
  const hash = createHash('sha256');
  // Its package.json is not exported; it sits above the entry point's dist/.
  const pgliteEntry = fileURLToPath(import.meta.resolve('@electric-sql/pglite'));
  const pglitePackage = join(pgliteEntry.slice(0, pgliteEntry.lastIndexOf('/dist/')), 'package.json');
  hash.update((JSON.parse(await readFile(pglitePackage, 'utf8')) as { version: string }).version);
  for (const name of await listSubgraphs(prismaDir)) {
    for (const migration of (await readSubgraph(prismaDir, name)).migrations) hash.update(`${name}/${migration.name}:${migration.checksum}`);
  }
  return join(TEMPLATE_DIR, `pglite-${hash.digest('hex').slice(0, 16)}`);
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
  await copyFolder(template, absolute);
  return { database: await PGlite.create(absolute), origin: 'template' };
}

/** Copies a folder's files all at once (fs.cp copies one at a time: 3–5× slower for a data folder's thousand files). */
async function copyFolder(from: string, to: string): Promise<void> {
  const entries = await readdir(from, { recursive: true, withFileTypes: true });
  const inside = (entry: Dirent) => join(relative(from, entry.parentPath), entry.name);
  await mkdir(to, { recursive: true });
  for (const folder of entries.filter((entry) => entry.isDirectory())) await mkdir(join(to, inside(folder)), { recursive: true });
  await Promise.all(entries.filter((entry) => entry.isFile()).map((file) => copyFile(join(from, inside(file)), join(to, inside(file)))));
}

/** Makes the template for the committed migrations, unless it exists. Returns its folder. */
export async function prepareTemplate(log: (line: string) => void): Promise<string> {
  const template = await templateFolder();
  if (isInitialised(template)) return template;
  log('making the embedded database template (once after each migration change): initdb and migrations');
  await mkdir(TEMPLATE_DIR, { recursive: true });
  // Made beside the template and renamed into place when closed: a concurrent start never copies half a template.
  const scratch = await mkdtemp(join(TEMPLATE_DIR, 'partial-'));
  try {
    const database = await PGlite.create(scratch);
    try {
      await applyMigrations({ target: pgliteTarget(database), log });
    } finally {
      await database.close();
    }
    try {
      await rename(scratch, template);
    } catch (error) {
      // Another start made the same template first.
      if (!isInitialised(template)) throw error;
    }
    // Older templates are for migrations that have since changed.
    for (const entry of await readdir(TEMPLATE_DIR)) {
      if (join(TEMPLATE_DIR, entry) !== template && entry.startsWith('pglite-'))
        await rm(join(TEMPLATE_DIR, entry), { recursive: true, force: true });
    }
    return template;
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
