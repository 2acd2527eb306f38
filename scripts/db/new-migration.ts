// Writes the next migration of a subgraph from its schema.prisma:
// npm run db:migration:new -- <subgraph> <name> [--prisma-dir <dir>]
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createMigration } from '@pyairtable/migrator';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { 'prisma-dir': { type: 'string' } } });
const [subgraph, name] = positionals;
if (positionals.length !== 2 || subgraph === undefined || name === undefined) {
  console.error('usage: npm run db:migration:new -- <subgraph> <name> [--prisma-dir <dir>]');
  process.exit(1);
}

try {
  const prismaDir = values['prisma-dir'] === undefined ? undefined : resolve(values['prisma-dir']);
  const created = await createMigration({ subgraph, name, prismaDir });
  console.log(
    created === null
      ? `${subgraph}: no changes (schema.prisma matches the committed migrations)`
      : `${subgraph}: wrote ${relative(process.cwd(), created.path)}`,
  );
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
}
