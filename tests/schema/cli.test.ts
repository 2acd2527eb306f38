import { afterEach, describe, expect, it } from '@jest/globals';
import { composeProject } from '@pyairtable/schema-tools';
import { copyProject, runScript, type ProjectCopy } from './project-copy.js';

const USERS_SDL = 'subgraphs/users/schema.graphql';
const REMOVE_USER_BIO: [string, string] = ['  bio: String\n  timezone: String\n  updatedAt', '  timezone: String\n  updatedAt'];
// A mutation no known client operation sends: removing it breaks the released schema only.
const SET_USER_ROLE = `  "Grant or take the ADMIN role. ADMIN only; an ADMIN cannot demote themself if they are the last ADMIN."
  setUserRole(id: ID!, role: UserRole!): User!
`;

describe('npm run schema:check and schema:release', () => {
  let project: ProjectCopy | undefined;
  afterEach(async () => {
    await project?.remove();
    project = undefined;
  });

  it('prints every check and exits 1 when any fails', async () => {
    project = await copyProject(['users']);
    await project.edit(USERS_SDL, ...REMOVE_USER_BIO);
    await project.edit('operations/frontend/members.graphql', '    myRole\n', '    myRole\n    archived\n');
    await project.edit('prisma/users/schema.prisma', '  timezone     String?\n', '  timezone     String?\n  pronouns     String?\n');

    const { code, output } = await runScript('scripts/schema/check.ts', ['--root', project.root]);

    expect(code).toBe(1);
    expect(output).toMatch(/^FAIL composition\n {2}✗ supergraph\.graphql is not the composition of the subgraphs/m);
    expect(output).toMatch(/^FAIL breaking-changes\n {2}✗ breaking FIELD_REMOVED at User\.bio: /m);
    expect(output).toMatch(/^FAIL operations\n/m);
    expect(output).toMatch(
      /^ {2}✗ operations\/frontend\/members\.graphql:\d+:\d+ mutation TransferOwnership: Cannot query field "archived" on type "Workspace"\./m,
    );
    expect(output).toMatch(
      /^FAIL migration-drift\n {2}✗ users: schema\.prisma differs .*\n.*\n\s+ALTER TABLE "pyairtable_users"\."profiles" ADD COLUMN\s+"pronouns" TEXT;/m,
    );
    expect(output).toMatch(/schema checks failed: composition, breaking-changes, operations, migration-drift\n$/);
  });

  it('passes an intended breaking change once it is composed and released', async () => {
    project = await copyProject(['users']);
    await project.edit('subgraphs/auth/schema.graphql', SET_USER_ROLE, '');
    const { result } = composeProject(project.root);
    if (result.errors) throw new Error('the copy does not compose');
    await project.write('supergraph.graphql', result.supergraphSdl);

    const before = await runScript('scripts/schema/check.ts', ['--root', project.root, '--only', 'breaking-changes']);
    const release = await runScript('scripts/schema/release.ts', ['--root', project.root]);
    const after = await runScript('scripts/schema/check.ts', ['--root', project.root]);

    expect(before.code).toBe(1);
    expect(release.code).toBe(0);
    expect(release.output).toMatch(/breaking FIELD_REMOVED at Mutation\.setUserRole/);
    expect(release.output).toMatch(/schema\/released\/schema\.graphql released: \d+ change\(s\) since the previous release, 1 breaking/);
    expect(after.output).toMatch(/schema checks passed\n$/);
    expect(after.code).toBe(0);
  });

  it('refuses an unknown check name', async () => {
    const { code, output } = await runScript('scripts/schema/check.ts', ['--only', 'spelling']);

    expect(code).toBe(2);
    expect(output).toContain('unknown check "spelling" (known: composition, breaking-changes, operations, migration-drift)');
  });
});
