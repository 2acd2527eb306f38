import { existsSync } from 'node:fs';
import { listSubgraphs, pendingSchemaChanges } from '@pyairtable/migrator';
import { checkResult, errorMessage, type CheckResult } from '../check-result.js';
import { displayPath, projectFiles } from '../project.js';

/**
 * For every subgraph under prisma/, replays its committed migrations on an empty in-process database and diffs the
 * result against its schema.prisma with Prisma's WebAssembly schema engine: any difference (a model change without
 * a migration, or a migration the schema does not describe) fails with the subgraph named and the missing SQL.
 */
export async function checkMigrationDrift(root: string): Promise<CheckResult> {
  const prismaDir = projectFiles(root).prismaDir;
  const subgraphs = existsSync(prismaDir) ? await listSubgraphs(prismaDir) : [];
  if (subgraphs.length === 0) {
    return checkResult('migration-drift', [`no subgraph schema.prisma under ${displayPath(root, prismaDir)}`], []);
  }

  const failures: string[] = [];
  const notes: string[] = [];
  // One at a time: each replay holds a PGlite database and a schema engine in memory.
  for (const subgraph of subgraphs) {
    try {
      const missingSql = (await pendingSchemaChanges({ subgraph, prismaDir })).trim();
      if (missingSql === '') {
        notes.push(`${subgraph}: schema.prisma matches its committed migrations`);
      } else {
        failures.push(
          `${subgraph}: schema.prisma differs from what its committed migrations build; author the migration with ` +
            `\`npm run db:migration:new -- ${subgraph} <name>\`. Missing SQL:\n${indent(missingSql)}`,
        );
      }
    } catch (error) {
      failures.push(`${subgraph}: ${errorMessage(error)}`);
    }
  }
  return checkResult('migration-drift', failures, notes);
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
}
