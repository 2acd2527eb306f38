import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository this package lives in; every check also takes another root (a temporary copy, in tests). */
export const defaultProjectRoot = fileURLToPath(new URL('../../..', import.meta.url));

/** Where a project keeps what the schema checks read. */
export function projectFiles(root: string) {
  return {
    supergraphConfig: join(root, 'supergraph.yaml'),
    supergraph: join(root, 'supergraph.graphql'),
    contract: join(root, 'schema', 'contract.graphql'),
    releasedSchema: join(root, 'schema', 'released', 'schema.graphql'),
    operationsDir: join(root, 'operations'),
    prismaDir: join(root, 'prisma'),
  };
}

/** A path as the developer reads it: relative to the project root. */
export function displayPath(root: string, path: string): string {
  return relative(root, path) || '.';
}
