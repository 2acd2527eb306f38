import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from '@jest/globals';
import { checkBreakingChanges, releaseSchema } from '@pyairtable/schema-tools';
import { copyProject, repoRoot, type ProjectCopy } from './project-copy.js';

const USERS_SDL = 'subgraphs/users/schema.graphql';
const WORKSPACES_SDL = 'subgraphs/workspaces/schema.graphql';

describe('breaking-change check', () => {
  let project: ProjectCopy | undefined;
  afterEach(async () => {
    await project?.remove();
    project = undefined;
  });

  it('passes on the repository: nothing the released schema has is gone or changed incompatibly', async () => {
    const result = await checkBreakingChanges(repoRoot);

    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.notes).toContainEqual(expect.stringMatching(/^no breaking change since schema\/released\/schema\.graphql/));
  });

  it('fails on a removed contract field and lists it', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, '  bio: String\n  timezone: String\n  updatedAt', '  timezone: String\n  updatedAt');

    const result = await checkBreakingChanges(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([expect.stringMatching(/^breaking FIELD_REMOVED at User\.bio: Field 'bio' .*was removed/)]);
    expect(result.notes).toContainEqual(expect.stringContaining('run `npm run schema:release`'));
  });

  it('fails on each kind of break: nullability loosened on output, argument added without default, enum value removed', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, '  displayName: String!\n', '  displayName: String\n');
    await project.edit(USERS_SDL, '  me: User!\n', '  me(locale: String!): User!\n');
    await project.edit(WORKSPACES_SDL, '  COMMENTER\n', '');

    const result = await checkBreakingChanges(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(3);
    expect(result.failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^breaking FIELD_TYPE_CHANGED at User\.displayName: .*'String!' to 'String'/),
        expect.stringMatching(/^breaking FIELD_ARGUMENT_ADDED at Query\.me\.locale: /),
        expect.stringMatching(/^breaking ENUM_VALUE_REMOVED at WorkspaceRole\.COMMENTER: /),
      ]),
    );
  });

  it('passes on an added nullable field, printing it as a safe change', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, '  updatedAt: DateTime!\n', '  updatedAt: DateTime!\n  pronouns: String\n');

    const result = await checkBreakingChanges(project.root);

    expect(result.failures).toEqual([]);
    expect(result.notes).toContainEqual(expect.stringMatching(/^safe FIELD_ADDED at User\.pronouns: /));
  });

  it('passes on an added enum value, printing it as a dangerous change', async () => {
    project = await copyProject();
    await project.edit(WORKSPACES_SDL, '  VIEWER\n', '  VIEWER\n  GUEST\n');

    const result = await checkBreakingChanges(project.root);

    expect(result.failures).toEqual([]);
    expect(result.notes).toContainEqual(expect.stringMatching(/^dangerous ENUM_VALUE_ADDED at WorkspaceRole\.GUEST: /));
  });

  it('passes once an intended break is released with schema:release', async () => {
    project = await copyProject();
    await project.edit(USERS_SDL, '  bio: String\n  timezone: String\n  updatedAt', '  timezone: String\n  updatedAt');

    const release = await releaseSchema(project.root);
    const result = await checkBreakingChanges(project.root);

    expect(release.changes.filter((change) => change.path === 'User.bio').map((change) => change.type)).toEqual(['FIELD_REMOVED']);
    expect(result.failures).toEqual([]);
    const released = await project.read('schema/released/schema.graphql');
    expect(released).toMatch(/^# The released API schema/);
    expect(released).toMatch(/type User \{[^}]*\bdisplayName: String!/);
    expect(released).not.toMatch(/type User \{[^}]*\bbio\b/);
  });

  it('fails without a released schema to compare with', async () => {
    project = await copyProject();
    await rm(join(project.root, 'schema', 'released'), { recursive: true });

    const result = await checkBreakingChanges(project.root);

    expect(result.failures).toEqual(['no released schema at schema/released/schema.graphql: run `npm run schema:release`']);
  });
});
