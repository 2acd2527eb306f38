import type { CheckResult } from './check-result.js';
import { checkBreakingChanges } from './checks/breaking-changes.js';
import { checkComposition } from './checks/composition.js';
import { checkMigrationDrift } from './checks/migration-drift.js';
import { checkOperations } from './checks/operations.js';

/** Every schema check, in the order they are reported. */
export const SCHEMA_CHECKS = {
  composition: (root: string) => Promise.resolve(checkComposition(root)),
  'breaking-changes': checkBreakingChanges,
  operations: (root: string) => Promise.resolve(checkOperations(root)),
  'migration-drift': checkMigrationDrift,
} satisfies Record<string, (root: string) => Promise<CheckResult>>;

export type SchemaCheckName = keyof typeof SCHEMA_CHECKS;

/** Runs the named checks (all by default) on the project at `root`, one after the other. */
export async function runSchemaChecks(root: string, only: readonly SchemaCheckName[] = []): Promise<CheckResult[]> {
  const names = only.length > 0 ? only : (Object.keys(SCHEMA_CHECKS) as SchemaCheckName[]);
  const results: CheckResult[] = [];
  for (const name of names) results.push(await SCHEMA_CHECKS[name](root));
  return results;
}
