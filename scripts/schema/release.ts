// npm run schema:release [-- --root DIR]: makes the API schema of a fresh composition the released one
// (schema/released/schema.graphql), which the breaking-change check compares against. Run it only for an intended
// change, and commit a release with breaking changes together with a migration note for clients in the README.
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultProjectRoot, describeChange, isBreaking, releaseSchema } from '@pyairtable/schema-tools';

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = values.root === undefined ? defaultProjectRoot : resolve(values.root);

try {
  const { file, changes } = await releaseSchema(root);
  for (const change of changes) console.log(`  ${describeChange(change)}`);
  const breaking = changes.filter(isBreaking).length;
  console.log(`${relative(root, file)} released: ${changes.length} change(s) since the previous release, ${breaking} breaking`);
  if (breaking > 0) console.log('Breaking changes released: add a migration note for clients to the README in the same commit.');
} catch (error) {
  console.error(`schema:release: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
}
