// The migration runner's command line, run from source by `npm run db:migrate` and compiled in the migrate image:
//   node packages/migrator/dist/cli.js [--subgraph <name>]... [--prisma-dir <dir>]   applies pending migrations
//   node packages/migrator/dist/cli.js --check [--wait <seconds>] [--subgraph <name>]...
// --check changes nothing and exits 1 while a committed migration is not applied; --wait keeps asking until then, so
// a pod's init container holds a new version back until the migration Job has run.
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { applyMigrations, MigrationError, unappliedMigrations } from './apply-migrations.js';
import { pgTarget } from './pg-target.js';

const USAGE = 'usage: cli.js [--check [--wait <seconds>]] [--subgraph <name>]... [--prisma-dir <dir>]  (DATABASE_URL names the database)';
const CHECK_INTERVAL_MS = 2_000;

const { values } = parseArgs({
  options: {
    'prisma-dir': { type: 'string' },
    subgraph: { type: 'string', multiple: true },
    check: { type: 'boolean', default: false },
    wait: { type: 'string' },
  },
});
const databaseUrl = process.env['DATABASE_URL'] ?? '';
if (databaseUrl === '') {
  console.error('DATABASE_URL is not set: point it at the Postgres database to migrate, e.g. postgresql://user@host:5432/db');
  process.exit(1);
}
const waitSeconds = values.wait === undefined ? 0 : Number(values.wait);
if (!Number.isInteger(waitSeconds) || waitSeconds < 0 || (values.wait !== undefined && !values.check)) {
  console.error(`--wait takes a whole number of seconds and goes with --check\n${USAGE}`);
  process.exit(1);
}

const options = {
  target: pgTarget(databaseUrl),
  prismaDir: values['prisma-dir'] === undefined ? undefined : resolve(values['prisma-dir']),
  subgraphs: values.subgraph,
};

try {
  process.exitCode = values.check ? await check(Date.now() + waitSeconds * 1_000) : await apply();
} catch (error) {
  console.error(describeFailure(error, databaseUrl));
  process.exitCode = 1;
}

async function apply(): Promise<number> {
  for (const { subgraph, postgresSchema, applied } of await applyMigrations(options)) {
    const outcome = applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`;
    console.log(`${subgraph} (${postgresSchema}): ${outcome}`);
  }
  return 0;
}

async function check(deadline: number): Promise<number> {
  for (;;) {
    let outcome: string[];
    try {
      const statuses = await unappliedMigrations(options);
      const pending = statuses.filter((status) => status.pending.length > 0);
      if (pending.length === 0) {
        for (const { subgraph, postgresSchema } of statuses) console.log(`${subgraph} (${postgresSchema}): up to date`);
        return 0;
      }
      outcome = pending.map(({ subgraph, postgresSchema, pending: names }) => `${subgraph} (${postgresSchema}): not applied ${names.join(', ')}`);
    } catch (error) {
      // A history that contradicts the committed files will not heal by waiting; a database still starting may.
      if (error instanceof MigrationError || Date.now() >= deadline) throw error;
      outcome = [describeFailure(error, databaseUrl)];
    }
    if (Date.now() >= deadline) {
      for (const line of outcome) console.log(line);
      return 1;
    }
    console.error(`waiting for migrations: ${outcome.join('; ')}`);
    await sleep(CHECK_INTERVAL_MS);
  }
}

function describeFailure(error: unknown, url: string): string {
  if (error instanceof MigrationError) return error.message;
  const { code, message } = (error ?? {}) as { code?: unknown; message?: unknown };
  const { hostname, port, pathname } = new URL(url);
  const server = `${hostname}:${port || '5432'}`;
  if (code === '3D000') {
    return `Database "${decodeURIComponent(pathname.slice(1))}" does not exist on ${server}; create it first (db:migrate never creates databases).`;
  }
  if (code === 'ECONNREFUSED') return `Cannot connect to Postgres at ${server}: is it running?`;
  return `db:migrate failed: ${typeof message === 'string' ? message : String(error)}`;
}
