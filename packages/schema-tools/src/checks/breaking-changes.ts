import { existsSync, readFileSync } from 'node:fs';
import { CriticalityLevel, diff, type Change, type TypeOfChangeType } from '@graphql-inspector/core';
import { buildSchema, type GraphQLSchema } from 'graphql';
import { composedApiSchema } from '../api-schema.js';
import { checkResult, errorMessage, type CheckResult } from '../check-result.js';
import { displayPath, projectFiles } from '../project.js';

/**
 * Compares the API schema of a fresh composition with the last released one (schema/released/schema.graphql):
 * breaking changes fail and are listed; dangerous and safe ones are notes. An intended break is released
 * deliberately with `npm run schema:release`.
 */
export async function checkBreakingChanges(root: string): Promise<CheckResult> {
  const releasedFile = projectFiles(root).releasedSchema;
  const shownReleased = displayPath(root, releasedFile);
  if (!existsSync(releasedFile)) {
    return checkResult('breaking-changes', [`no released schema at ${shownReleased}: run \`npm run schema:release\``], []);
  }

  let released: GraphQLSchema;
  let composed: GraphQLSchema;
  try {
    released = buildSchema(readFileSync(releasedFile, 'utf8'));
  } catch (error) {
    return checkResult('breaking-changes', [`${shownReleased} is not a valid schema: ${errorMessage(error)}`], []);
  }
  try {
    composed = composedApiSchema(root);
  } catch (error) {
    return checkResult('breaking-changes', [`nothing to compare with ${shownReleased}: ${errorMessage(error)}`], []);
  }

  const changes = await schemaChanges(released, composed);
  const failures = changes.filter(isBreaking).map(describeChange);
  const notes = changes.filter((change) => !isBreaking(change)).map(describeChange);
  if (failures.length > 0) {
    notes.push(
      `compared with ${shownReleased}; if the break is intended, run \`npm run schema:release\` and ` +
        'commit the released schema with a migration note for clients in the README',
    );
  } else {
    notes.push(`no breaking change since ${shownReleased} (${changes.length} other change(s))`);
  }
  return checkResult('breaking-changes', failures, notes);
}

/** One difference between two schemas: @graphql-inspector's Change with its type named (the library defaults it to any). */
export type SchemaChange = Change<TypeOfChangeType>;

/** Every difference from `before` to `after`, as @graphql-inspector/core classifies it. */
export function schemaChanges(before: GraphQLSchema, after: GraphQLSchema): Promise<SchemaChange[]> {
  // diff() returns Change<any>[]; every change it makes has one of the ChangeType values as its type.
  return diff(before, after) as Promise<SchemaChange[]>;
}

export function isBreaking(change: SchemaChange): boolean {
  return change.criticality.level === CriticalityLevel.Breaking;
}

const LEVEL_NAMES: Record<CriticalityLevel, string> = {
  [CriticalityLevel.Breaking]: 'breaking',
  [CriticalityLevel.Dangerous]: 'dangerous',
  [CriticalityLevel.NonBreaking]: 'safe',
};

/** One line per change: its level, @graphql-inspector's change type, the schema coordinate and what changed. */
export function describeChange(change: SchemaChange): string {
  return `${LEVEL_NAMES[change.criticality.level]} ${change.type} at ${change.path ?? 'schema'}: ${change.message}`;
}
