// Generates every subgraph's Prisma client (prisma/<subgraph>/schema.prisma) without Prisma's native engine.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const prismaCli = join(root, 'node_modules', 'prisma', 'build', 'index.js');
const subgraphs = readdirSync(join(root, 'prisma'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(root, 'prisma', entry.name, 'schema.prisma')))
  .map((entry) => entry.name);

for (const subgraph of subgraphs) {
  const result = spawnSync(process.execPath, [prismaCli, 'generate', '--schema', join('prisma', subgraph, 'schema.prisma')], {
    cwd: root,
    stdio: 'inherit',
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: join(root, 'scripts', 'prisma-engine-stub.sh'),
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
      CHECKPOINT_DISABLE: '1',
    },
  });
  if (result.status !== 0) {
    console.error(`prisma generate failed for subgraph "${subgraph}"`);
    process.exit(result.status ?? 1);
  }
}
