import { afterEach, describe, expect, it } from '@jest/globals';
import { checkOperations } from '@pyairtable/schema-tools';
import { copyProject, repoRoot, type ProjectCopy } from './project-copy.js';

describe('operation check', () => {
  let project: ProjectCopy | undefined;
  afterEach(async () => {
    await project?.remove();
    project = undefined;
  });

  it('passes on the repository: every frontend and REST shim operation validates against the composed API schema', () => {
    const result = checkOperations(repoRoot);

    expect(result.failures).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.notes).toEqual([
      expect.stringMatching(/^operations\/frontend: \d+ operation\(s\) in \d+ file\(s\)$/),
      expect.stringMatching(/^operations\/rest: \d+ operation\(s\) in \d+ file\(s\)$/),
    ]);
  });

  it('fails on a broken operation, naming the file, the operation and the error', async () => {
    project = await copyProject();
    await project.edit(
      'operations/frontend/profile.graphql',
      '    ...ProfileDetails\n    workspaces',
      '    ...ProfileDetails\n    pronouns\n    workspaces',
    );

    const result = checkOperations(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      expect.stringMatching(/^operations\/frontend\/profile\.graphql:\d+:5 query ProfileView: Cannot query field "pronouns" on type "User"\.$/),
    ]);
  });

  it('fails when a schema change breaks operations, naming each fragment it breaks and the operations using it', async () => {
    project = await copyProject();
    await project.edit(
      'subgraphs/users/schema.graphql',
      '  avatarUrl: String\n  bio: String\n  timezone: String\n  updatedAt',
      '  bio: String\n  timezone: String\n  updatedAt',
    );

    const result = checkOperations(project.root);

    expect(result.ok).toBe(false);
    expect(result.failures).toEqual([
      expect.stringMatching(
        /^operations\/frontend\/fragments\.graphql:\d+:\d+ fragment ProfileCard \(used by SignUp, SignIn, RefreshSession, ResetPassword, AddMember, ChangeMemberRole, TransferOwnership, ProfileView, ProfileEdit, WorkspaceList, WorkspaceDetail, CreateWorkspace, RenameWorkspace\): Cannot query field "avatarUrl" on type "User"\./,
      ),
      expect.stringMatching(
        /^operations\/rest\/fragments\.graphql:\d+:\d+ fragment RestUser \(used by RestVerifyEmail, RestMe, RestUpdateMe, RestUser, RestUpdateUser, RestUsers\): Cannot query field "avatarUrl" on type "User"\./,
      ),
    ]);
  });

  it('resolves fragments across the files of one directory, but not across directories', async () => {
    project = await copyProject();
    await project.write(
      'operations/rest/extra.graphql',
      'query RestMyWorkspaces {\n  workspaces {\n    nodes {\n      ...WorkspaceCard\n    }\n  }\n}\n',
    );

    const result = checkOperations(project.root);

    expect(result.failures).toEqual([
      expect.stringMatching(/^operations\/rest\/extra\.graphql:4:10 query RestMyWorkspaces: Unknown fragment "WorkspaceCard"\.$/),
    ]);
  });

  it('fails on an operation that does not parse and on an anonymous operation', async () => {
    project = await copyProject();
    await project.write('operations/frontend/broken.graphql', 'query Broken {\n  me {\n    id\n');
    await project.write('operations/rest/anonymous.graphql', '{\n  sessions {\n    id\n  }\n}\n');

    const result = checkOperations(project.root);

    expect(result.failures).toEqual([
      expect.stringMatching(/^operations\/frontend\/broken\.graphql:4:1: Syntax Error: Expected Name, found <EOF>\.$/),
      'operations/rest/anonymous.graphql:1:1 anonymous query: name every operation so a break names it',
      expect.stringMatching(
        /^operations\/rest\/anonymous\.graphql:1:1 query \(anonymous\): This anonymous operation must be the only defined operation\.$/,
      ),
    ]);
  });
});
