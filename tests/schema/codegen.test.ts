// npm run codegen:check: the committed resolver types must be what codegen.ts generates from each subgraph's SDL.
import { afterEach, describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SUBGRAPH_NAMES } from '@pyairtable/common/subgraphs';
import { copyProject, repoRoot, runScript, type ProjectCopy } from './project-copy.js';

const SUBGRAPHS = SUBGRAPH_NAMES;
const generatedFile = (subgraph: string) => `subgraphs/${subgraph}/src/resolvers/resolvers-types.generated.ts`;

/** A copy of the project with the committed generated files next to the SDL they were generated from. */
async function copyWithGeneratedFiles(): Promise<ProjectCopy> {
  const project = await copyProject();
  for (const subgraph of SUBGRAPHS) {
    await project.write(generatedFile(subgraph), await readFile(join(repoRoot, generatedFile(subgraph)), 'utf8'));
  }
  return project;
}

describe('npm run codegen:check', () => {
  let project: ProjectCopy | undefined;
  afterEach(async () => {
    await project?.remove();
    project = undefined;
  });

  it('passes when every generated file matches its subgraph SDL', async () => {
    project = await copyWithGeneratedFiles();

    const { code, output } = await runScript('scripts/codegen/check.ts', ['--root', project.root]);

    expect(output).toMatch(/resolver types are current \(3 files\)\n$/);
    expect(code).toBe(0);
  });

  it('names the stale file and the command that fixes it, and exits 1, after an SDL change', async () => {
    project = await copyWithGeneratedFiles();
    await project.edit('subgraphs/users/schema.graphql', '  bio: String\n  timezone: String\n  updatedAt', '  timezone: String\n  updatedAt');

    const { code, output } = await runScript('scripts/codegen/check.ts', ['--root', project.root]);

    expect(code).toBe(1);
    expect(output).toContain(`✗ ${generatedFile('users')} is stale`);
    expect(output).not.toContain(generatedFile('auth'));
    expect(output).not.toContain(generatedFile('workspaces'));
    expect(output).toMatch(/run `npm run codegen` and commit the result\n$/);
  });
});
