// Applies every subgraph's committed migrations to DATABASE_URL: npm run db:migrate [-- --prisma-dir <dir>]
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { applyMigrations, MigrationError, pgTarget } from '../../packages/migrator/src/index.js';

const { values } = parseArgs({ options: { 'prisma-dir': { type: 'string' } } });
const databaseUrl = process.env['DATABASE_URL'];
if (!databaseUrl) {
  console.error('DATABASE_URL is not set: point it at the Postgres database to migrate, e.g. postgresql://user@host:5432/db');
  process.exit(1);
}

try {
  const prismaDir = values['prisma-dir'] === undefined ? undefined : resolve(values['prisma-dir']);
  const report = await applyMigrations({ target: pgTarget(databaseUrl), prismaDir });
  for (const { subgraph, postgresSchema, applied } of report) {
    const outcome = applied.length === 0 ? 'up to date' : `applied ${applied.join(', ')}`;
    console.log(`${subgraph} (${postgresSchema}): ${outcome}`);
  }
} catch (error) {
  console.error(describeFailure(error, databaseUrl));
  process.exitCode = 1;
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
