import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { checkComposition, composeProject } from '@pyairtable/schema-tools';
import { copyProject, repoRoot, type ProjectCopy } from './project-copy.js';

const USERS_SDL = 'subgraphs/users/schema.graphql';

describe('composition check', () => {
  let project: ProjectCopy | undefined;
  afterEach(async () => {
    await project?.remove();
    project = undefined;
  });

  it('passes on the repository: the subgraphs compose and supergraph.graphql is their composition', () => {
    const result = checkComposition(repoRoot);

    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.notes).toContain('subgraphs: auth, users, workspaces');
  });

  it('fails on a field type conflict between two subgraphs, naming the subgraph and the position', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, 'hasNextPage: Boolean!', 'hasNextPage: Int!');

    const result = checkComposition(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure).toMatch(/^FIELD_TYPE_MISMATCH: .*"PageInfo\.hasNextPage"/);
    expect(failure).toMatch(/at subgraphs\/users\/schema\.graphql:\d+:\d+ \(subgraph users\)/);
    expect(failure).toMatch(/at subgraphs\/workspaces\/schema\.graphql:\d+:\d+ \(subgraph workspaces\)/);
  });

  it('fails on a subgraph schema that does not parse, naming the file and position', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, 'type UserConnection {', 'type UserConnection {{');

    const result = checkComposition(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      expect.stringMatching(/^INVALID_GRAPHQL: \[users\] Syntax Error: .*\n {2}at subgraphs\/users\/schema\.graphql:\d+:\d+$/),
    ]);
  });

  it('fails on a hint that drops part of the API: an optional argument only one subgraph declares', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, '  endCursor: String\n', '  endCursor(encoding: String): String\n');
    await writeFreshSupergraph(project);

    const result = checkComposition(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      expect.stringMatching(
        /^hint INCONSISTENT_ARGUMENT_PRESENCE: .*"PageInfo\.endCursor\(encoding:\)".*\n {2}at subgraphs\/users\/schema\.graphql:\d+:\d+ \(subgraph users\)/,
      ),
    ]);
  });

  it('passes with a note on a hint that leaves the API as every subgraph meant it: differing descriptions', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, '"An ISO-8601 date-time string in UTC', '"A date-time string in UTC');
    await writeFreshSupergraph(project);

    const result = checkComposition(project.root);

    expect(result.failures).toEqual([]);
    expect(result.notes).toContainEqual(expect.stringMatching(/^hint INCONSISTENT_DESCRIPTION: .*DateTime/));
  });

  it('fails when the committed supergraph is stale: a subgraph changed without `npm run compose`', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, '  updatedAt: DateTime!\n', '  updatedAt: DateTime!\n  pronouns: String\n');

    const result = checkComposition(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(1);
    const [failure] = result.failures;
    expect(failure).toMatch(/^supergraph\.graphql is not the composition of the subgraphs: run `npm run compose` and commit the result\./);
    // A unified diff a reviewer can act on: the headers, a hunk, and the composed line the committed file lacks.
    expect(failure).toContain('--- supergraph.graphql (committed)\n+++ supergraph.graphql (composed)\n@@ -');
    expect(failure).toMatch(/^\+\s+pronouns: String/m);
    expect(failure).not.toMatch(/^-\s+pronouns/m);
  });

  it('fails when the committed supergraph is missing', async () => {
    project = await copyProject();
    await rm(join(project.root, 'supergraph.graphql'));

    expect(checkComposition(project.root).failures).toEqual([
      expect.stringContaining(
        'supergraph.graphql is not the composition of the subgraphs: run `npm run compose` and commit the result. The file is missing.',
      ),
    ]);
  });
});

async function writeFreshSupergraph(project: ProjectCopy): Promise<void> {
  const { result } = composeProject(project.root);
  if (result.errors) throw new Error(`the copy does not compose: ${result.errors.map((error) => error.message).join('; ')}`);
  await project.write('supergraph.graphql', result.supergraphSdl);
}
