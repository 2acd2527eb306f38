import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { buildSchema, printSchema } from 'graphql';
import { composedApiSchema } from './api-schema.js';
import { schemaChanges, type SchemaChange } from './checks/breaking-changes.js';
import { projectFiles } from './project.js';

const RELEASE_HEADER = `# The released API schema: what clients of the last release rely on. The breaking-change check of
# \`npm run schema:check\` compares every fresh composition with this file.
# Written by \`npm run schema:release\` (the printed API schema of a fresh composition of supergraph.yaml); never
# edit it by hand. Commit a release that breaks clients with a migration note for them in the README.
`;

export interface Release {
  file: string;
  /** What changed since the previous release (empty for the first one). */
  changes: SchemaChange[];
}

/** Makes the API schema of a fresh composition the released one; throws when the subgraphs do not compose. */
export async function releaseSchema(root: string): Promise<Release> {
  const file = projectFiles(root).releasedSchema;
  const composed = composedApiSchema(root);
  const changes = existsSync(file) ? await schemaChanges(buildSchema(readFileSync(file, 'utf8')), composed) : [];
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, `${RELEASE_HEADER}\n${printSchema(composed)}\n`);
  return { file, changes };
}
