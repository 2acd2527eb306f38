// npm run schema:check [-- --root DIR] [--only CHECK ...]: the offline schema checks (composition, breaking
// changes, client operations, migration drift). Prints every result; exits 1 when any check fails.
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultProjectRoot, runSchemaChecks, SCHEMA_CHECKS, type CheckResult, type SchemaCheckName } from '@pyairtable/schema-tools';

const { values } = parseArgs({ options: { root: { type: 'string' }, only: { type: 'string', multiple: true } } });
const root = values.root === undefined ? defaultProjectRoot : resolve(values.root);
const only = (values.only ?? []).map(checkName);

const results = await runSchemaChecks(root, only);
for (const result of results) console.log(report(result));
const failed = results.filter((result) => !result.ok).map((result) => result.check);
console.log(failed.length === 0 ? 'schema checks passed' : `schema checks failed: ${failed.join(', ')}`);
process.exitCode = failed.length === 0 ? 0 : 1;

function report(result: CheckResult): string {
  const lines = [`${result.ok ? 'PASS' : 'FAIL'} ${result.check}`];
  for (const failure of result.failures) lines.push(indented('✗ ', failure));
  for (const note of result.notes) lines.push(indented('· ', note));
  return lines.join('\n');
}

function indented(marker: string, text: string): string {
  return text
    .split('\n')
    .map((line, index) => `  ${index === 0 ? marker : '  '}${line}`)
    .join('\n');
}

function checkName(name: string): SchemaCheckName {
  if (name in SCHEMA_CHECKS) return name as SchemaCheckName;
  console.error(`unknown check "${name}" (known: ${Object.keys(SCHEMA_CHECKS).join(', ')})`);
  process.exit(2);
}
