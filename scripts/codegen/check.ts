// npm run codegen:check [-- --root DIR]: regenerates every subgraph's resolver types in memory and fails when a
// committed file differs (its schema.graphql changed without `npm run codegen`), naming each stale file.
import { readFile } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '@graphql-codegen/cli';
import { codegenConfig, projectRoot } from '../../codegen.js';

interface GeneratedFile {
  filename: string;
  content: string;
}

const { values } = parseArgs({ options: { root: { type: 'string' } } });
const root = values.root === undefined ? projectRoot : resolve(values.root);

// generate() is typed `Promise<FileOutput[] | any>` because in watch mode it resolves to nothing; this config does not watch.
const generated = (await generate(codegenConfig(root), false)) as GeneratedFile[];
const stale: string[] = [];
for (const { filename, content } of generated) {
  const committed = await readFile(filename, 'utf8').catch((error: unknown) => {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return null;
    throw error;
  });
  const file = relative(root, filename);
  if (committed === content) continue;
  stale.push(file);
  console.log(`✗ ${file} is ${committed === null ? 'missing' : 'stale'}: it is not what codegen.ts generates from the current schema`);
}

if (stale.length === 0) {
  console.log(`resolver types are current (${generated.length} files)`);
} else {
  console.log('resolver types are out of date: run `npm run codegen` and commit the result');
  process.exitCode = 1;
}
