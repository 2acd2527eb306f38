import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import {
  ADD_MEMBER,
  DELETE_WORKSPACE,
  REMOVE_MEMBER,
  TRANSFER,
  UPDATE_ROLE,
  UPDATE_WORKSPACE,
  WORKSPACE_ROLES,
  as,
  createWorkspace,
  dataOf,
  expectError,
  rolesIn,
  signUp,
  workspaceWith,
  type Account,
  type Role,
} from './helpers.js';

const graph = useGraph();

/** A workspace with its OWNER and one member of every other role. */
async function fullWorkspace() {
  const { owner, workspaceId, members } = await workspaceWith(graph.url, ['ADMIN', 'EDITOR', 'COMMENTER', 'VIEWER']);
  const [admin, editor, commenter, viewer] = members as [Account, Account, Account, Account];
  return { workspaceId, owner, admin, editor, commenter, viewer };
}

function addAs(actor: Account, workspaceId: string, member: Account, role: Role) {
  return as(graph.url, actor, ADD_MEMBER, { workspaceId, email: member.email, role });
}

function changeRoleAs(actor: Account, workspaceId: string, member: Account, role: Role) {
  return as(graph.url, actor, UPDATE_ROLE, { workspaceId, userId: member.id, role });
}

function removeAs(actor: Account, workspaceId: string, member: Account) {
  return as(graph.url, actor, REMOVE_MEMBER, { workspaceId, userId: member.id });
}

describe('creating and reading', () => {
  it('makes the creator the OWNER and only member, with trimmed name and description', async () => {
    const owner = await signUp(graph.url, { label: 'creator' });
    const response = await as<{ createWorkspace: Record<string, unknown> }>(
      graph.url,
      owner,
      'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { name description myRole memberCount owner { id } members { totalCount nodes { user { id } role } } } }',
      { input: { name: '  Design  ', description: '  Mock-ups  ' } },
    );
    expect(dataOf(response).createWorkspace).toEqual({
      name: 'Design',
      description: 'Mock-ups',
      myRole: 'OWNER',
      memberCount: 1,
      owner: { id: owner.id },
      members: { totalCount: 1, nodes: [{ user: { id: owner.id }, role: 'OWNER' }] },
    });
  });

  it('refuses a blank name, a name over 100 characters and a description over 1000, naming the field', async () => {
    const owner = await signUp(graph.url);
    const create = (input: Record<string, unknown>) =>
      as(graph.url, owner, 'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { id } }', { input });
    expectError(await create({ name: '   ' }), 'BAD_USER_INPUT', 'name');
    expectError(await create({ name: 'x'.repeat(101) }), 'BAD_USER_INPUT', 'name');
    expectError(await create({ name: 'ok', description: 'x'.repeat(1001) }), 'BAD_USER_INPUT', 'description');
    expect(dataOf(await create({ name: 'x'.repeat(100), description: 'x'.repeat(1000) }))).toBeTruthy();

    const workspaceId = await createWorkspace(graph.url, owner);
    expectError(await as(graph.url, owner, UPDATE_WORKSPACE, { id: workspaceId, input: { name: '' } }), 'BAD_USER_INPUT', 'name');
  });

  it('answers UNAUTHENTICATED to an anonymous caller', async () => {
    expectError(await as(graph.url, null, '{ workspaces { totalCount } }'), 'UNAUTHENTICATED');
    expectError(await as(graph.url, null, 'mutation { createWorkspace(input: { name: "x" }) { id } }'), 'UNAUTHENTICATED');
  });

  it('lets every member read the workspace and its members, each seeing their own role', async () => {
    const { workspaceId, owner, admin, editor, commenter, viewer } = await fullWorkspace();
    for (const [member, role] of [
      [owner, 'OWNER'],
      [admin, 'ADMIN'],
      [editor, 'EDITOR'],
      [commenter, 'COMMENTER'],
      [viewer, 'VIEWER'],
    ] as const) {
      const response = await as<{ workspace: { myRole: string; memberCount: number; owner: { id: string } } }>(graph.url, member, WORKSPACE_ROLES, {
        id: workspaceId,
      });
      expect(dataOf(response).workspace).toMatchObject({ myRole: role, memberCount: 5, owner: { id: owner.id } });
    }
    expect(await rolesIn(graph.url, viewer, workspaceId)).toEqual({
      [owner.id]: 'OWNER',
      [admin.id]: 'ADMIN',
      [editor.id]: 'EDITOR',
      [commenter.id]: 'COMMENTER',
      [viewer.id]: 'VIEWER',
    });
  });
});

describe('renaming and describing: OWNER or ADMIN', () => {
  it('lets the OWNER and an ADMIN rename and describe', async () => {
    const { workspaceId, owner, admin } = await fullWorkspace();
    const byOwner = await as<{ updateWorkspace: { name: string; description: string | null } }>(graph.url, owner, UPDATE_WORKSPACE, {
      id: workspaceId,
      input: { name: 'Renamed', description: 'About' },
    });
    expect(dataOf(byOwner).updateWorkspace).toMatchObject({ name: 'Renamed', description: 'About' });
    const byAdmin = await as<{ updateWorkspace: { name: string; description: string | null } }>(graph.url, admin, UPDATE_WORKSPACE, {
      id: workspaceId,
      input: { description: null },
    });
    expect(dataOf(byAdmin).updateWorkspace).toMatchObject({ name: 'Renamed', description: null });
  });

  it('refuses EDITOR, COMMENTER and VIEWER with FORBIDDEN', async () => {
    const { workspaceId, editor, commenter, viewer } = await fullWorkspace();
    for (const member of [editor, commenter, viewer]) {
      expectError(await as(graph.url, member, UPDATE_WORKSPACE, { id: workspaceId, input: { name: 'Mine now' } }), 'FORBIDDEN');
    }
  });
});

describe('adding members', () => {
  it('lets an ADMIN add members below ADMIN, and the OWNER add an ADMIN', async () => {
    const { workspaceId, owner, admin } = await fullWorkspace();
    const newcomers = await Promise.all(['EDITOR', 'COMMENTER', 'VIEWER', 'ADMIN'].map(() => signUp(graph.url, { label: 'newcomer' })));
    const [editor, commenter, viewer, secondAdmin] = newcomers as [Account, Account, Account, Account];
    const added = await addAs(admin, workspaceId, editor, 'EDITOR');
    expect(dataOf(added)).toEqual({ addWorkspaceMember: { user: { id: editor.id }, role: 'EDITOR', joinedAt: expect.any(String) } });
    dataOf(await addAs(admin, workspaceId, commenter, 'COMMENTER'));
    dataOf(await addAs(admin, workspaceId, viewer, 'VIEWER'));
    dataOf(await addAs(owner, workspaceId, secondAdmin, 'ADMIN'));
    expect(await rolesIn(graph.url, owner, workspaceId)).toMatchObject({
      [editor.id]: 'EDITOR',
      [commenter.id]: 'COMMENTER',
      [viewer.id]: 'VIEWER',
      [secondAdmin.id]: 'ADMIN',
    });
  });

  it('refuses an ADMIN granting ADMIN with FORBIDDEN', async () => {
    const { workspaceId, admin } = await fullWorkspace();
    const newcomer = await signUp(graph.url, { label: 'newcomer' });
    expectError(await addAs(admin, workspaceId, newcomer, 'ADMIN'), 'FORBIDDEN');
  });

  it('refuses EDITOR, COMMENTER and VIEWER adding anyone with FORBIDDEN', async () => {
    const { workspaceId, editor, commenter, viewer } = await fullWorkspace();
    const newcomer = await signUp(graph.url, { label: 'newcomer' });
    for (const member of [editor, commenter, viewer]) expectError(await addAs(member, workspaceId, newcomer, 'VIEWER'), 'FORBIDDEN');
  });

  it('never grants OWNER by adding, not even the OWNER: BAD_USER_INPUT naming role', async () => {
    const { workspaceId, owner } = await fullWorkspace();
    const newcomer = await signUp(graph.url, { label: 'newcomer' });
    expectError(await addAs(owner, workspaceId, newcomer, 'OWNER'), 'BAD_USER_INPUT', 'role');
  });

  it('answers CONFLICT for a member already in, and NOT_FOUND for an email no account has', async () => {
    const { workspaceId, owner, editor } = await fullWorkspace();
    expectError(await addAs(owner, workspaceId, editor, 'VIEWER'), 'CONFLICT');
    expectError(await addAs(owner, workspaceId, owner, 'VIEWER'), 'CONFLICT');
    const nobody: Account = { id: '', email: 'nobody.at.all@example.test', token: '', password: '' };
    expectError(await addAs(owner, workspaceId, nobody, 'VIEWER'), 'NOT_FOUND');
  });

  it('finds the account by email whatever its case and surrounding spaces', async () => {
    const { workspaceId, owner } = await fullWorkspace();
    const newcomer = await signUp(graph.url, { label: 'newcomer' });
    const response = await as(graph.url, owner, ADD_MEMBER, { workspaceId, email: `  ${newcomer.email.toUpperCase()} `, role: 'VIEWER' });
    expect(dataOf(response)).toMatchObject({ addWorkspaceMember: { user: { id: newcomer.id }, role: 'VIEWER' } });
  });
});

describe('changing roles', () => {
  it('lets an ADMIN move members between roles below ADMIN', async () => {
    const { workspaceId, owner, admin, editor, viewer } = await fullWorkspace();
    dataOf(await changeRoleAs(admin, workspaceId, editor, 'COMMENTER'));
    dataOf(await changeRoleAs(admin, workspaceId, viewer, 'EDITOR'));
    expect(await rolesIn(graph.url, owner, workspaceId)).toMatchObject({ [editor.id]: 'COMMENTER', [viewer.id]: 'EDITOR' });
  });

  it('lets the OWNER grant and take ADMIN', async () => {
    const { workspaceId, owner, admin, editor } = await fullWorkspace();
    dataOf(await changeRoleAs(owner, workspaceId, editor, 'ADMIN'));
    dataOf(await changeRoleAs(owner, workspaceId, admin, 'VIEWER'));
    expect(await rolesIn(graph.url, owner, workspaceId)).toMatchObject({ [editor.id]: 'ADMIN', [admin.id]: 'VIEWER' });
  });

  it('refuses an ADMIN granting or taking ADMIN (also their own) with FORBIDDEN', async () => {
    const { workspaceId, owner, admin, editor } = await fullWorkspace();
    const secondAdmin = await signUp(graph.url, { label: 'admin' });
    await addAs(owner, workspaceId, secondAdmin, 'ADMIN');
    expectError(await changeRoleAs(admin, workspaceId, editor, 'ADMIN'), 'FORBIDDEN');
    expectError(await changeRoleAs(admin, workspaceId, secondAdmin, 'EDITOR'), 'FORBIDDEN');
    expectError(await changeRoleAs(admin, workspaceId, admin, 'EDITOR'), 'FORBIDDEN');
    expect(await rolesIn(graph.url, owner, workspaceId)).toMatchObject({ [editor.id]: 'EDITOR', [secondAdmin.id]: 'ADMIN', [admin.id]: 'ADMIN' });
  });

  it('refuses EDITOR, COMMENTER and VIEWER changing roles (also their own) with FORBIDDEN', async () => {
    const { workspaceId, editor, commenter, viewer } = await fullWorkspace();
    expectError(await changeRoleAs(editor, workspaceId, viewer, 'COMMENTER'), 'FORBIDDEN');
    expectError(await changeRoleAs(commenter, workspaceId, commenter, 'EDITOR'), 'FORBIDDEN');
    expectError(await changeRoleAs(viewer, workspaceId, viewer, 'ADMIN'), 'FORBIDDEN');
  });

  it('never grants OWNER here (BAD_USER_INPUT naming role) nor takes it (FORBIDDEN), not even by the OWNER', async () => {
    const { workspaceId, owner, admin } = await fullWorkspace();
    expectError(await changeRoleAs(owner, workspaceId, admin, 'OWNER'), 'BAD_USER_INPUT', 'role');
    expectError(await changeRoleAs(owner, workspaceId, owner, 'ADMIN'), 'FORBIDDEN');
    expectError(await changeRoleAs(admin, workspaceId, owner, 'VIEWER'), 'FORBIDDEN');
    expect(await rolesIn(graph.url, owner, workspaceId)).toMatchObject({ [owner.id]: 'OWNER', [admin.id]: 'ADMIN' });
  });

  it('answers NOT_FOUND for a user who is not a member', async () => {
    const { workspaceId, owner } = await fullWorkspace();
    const outsider = await signUp(graph.url, { label: 'outsider' });
    expectError(await changeRoleAs(owner, workspaceId, outsider, 'EDITOR'), 'NOT_FOUND');
  });
});

describe('removing members and leaving', () => {
  it('lets an ADMIN remove members below ADMIN, and the OWNER remove an ADMIN', async () => {
    const { workspaceId, owner, admin, editor, viewer } = await fullWorkspace();
    expect(dataOf(await removeAs(admin, workspaceId, editor))).toEqual({ removeWorkspaceMember: true });
    dataOf(await removeAs(admin, workspaceId, viewer));
    dataOf(await removeAs(owner, workspaceId, admin));
    const roles = await rolesIn(graph.url, owner, workspaceId);
    expect(Object.keys(roles)).toHaveLength(2);
    expect(roles).not.toHaveProperty(admin.id);
    const asRemoved = await as<{ workspace: unknown }>(graph.url, editor, WORKSPACE_ROLES, { id: workspaceId });
    expect(dataOf(asRemoved).workspace).toBeNull();
  });

  it('refuses an ADMIN removing another ADMIN, and lower roles removing anyone, with FORBIDDEN', async () => {
    const { workspaceId, owner, admin, editor, commenter, viewer } = await fullWorkspace();
    const secondAdmin = await signUp(graph.url, { label: 'admin' });
    await addAs(owner, workspaceId, secondAdmin, 'ADMIN');
    expectError(await removeAs(admin, workspaceId, secondAdmin), 'FORBIDDEN');
    expectError(await removeAs(editor, workspaceId, viewer), 'FORBIDDEN');
    expectError(await removeAs(commenter, workspaceId, viewer), 'FORBIDDEN');
    expectError(await removeAs(viewer, workspaceId, commenter), 'FORBIDDEN');
    expect(Object.keys(await rolesIn(graph.url, owner, workspaceId))).toHaveLength(6);
  });

  it('lets any member but the OWNER leave with their own id', async () => {
    const { workspaceId, owner, admin, editor, commenter, viewer } = await fullWorkspace();
    for (const member of [admin, editor, commenter, viewer]) {
      expect(dataOf(await removeAs(member, workspaceId, member))).toEqual({ removeWorkspaceMember: true });
    }
    expect(await rolesIn(graph.url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER' });
  });

  it('never removes the OWNER: not by an ADMIN, and the OWNER cannot leave (FORBIDDEN)', async () => {
    const { workspaceId, owner, admin } = await fullWorkspace();
    expectError(await removeAs(admin, workspaceId, owner), 'FORBIDDEN');
    expectError(await removeAs(owner, workspaceId, owner), 'FORBIDDEN');
    expect(await rolesIn(graph.url, owner, workspaceId)).toMatchObject({ [owner.id]: 'OWNER' });
  });

  it('answers NOT_FOUND for removing a user who is not a member', async () => {
    const { workspaceId, owner } = await fullWorkspace();
    const outsider = await signUp(graph.url, { label: 'outsider' });
    expectError(await removeAs(owner, workspaceId, outsider), 'NOT_FOUND');
  });
});

describe('transferring ownership: OWNER only', () => {
  it('hands OWNER to another member; the previous owner becomes ADMIN', async () => {
    const { workspaceId, owner, editor } = await fullWorkspace();
    const response = await as<{ transferWorkspaceOwnership: { owner: { id: string }; myRole: string } }>(graph.url, owner, TRANSFER, {
      workspaceId,
      userId: editor.id,
    });
    expect(dataOf(response).transferWorkspaceOwnership).toMatchObject({ owner: { id: editor.id }, myRole: 'ADMIN' });
    const roles = await rolesIn(graph.url, editor, workspaceId);
    expect(roles).toMatchObject({ [editor.id]: 'OWNER', [owner.id]: 'ADMIN' });
    expect(Object.values(roles).filter((role) => role === 'OWNER')).toHaveLength(1);
  });

  it('refuses every other role with FORBIDDEN', async () => {
    const { workspaceId, admin, editor, commenter, viewer } = await fullWorkspace();
    for (const member of [admin, editor, commenter, viewer]) {
      expectError(await as(graph.url, member, TRANSFER, { workspaceId, userId: member.id }), 'FORBIDDEN');
      expectError(await as(graph.url, member, TRANSFER, { workspaceId, userId: viewer.id }), 'FORBIDDEN');
    }
  });

  it('answers NOT_FOUND for a target who is not a member, and BAD_USER_INPUT for oneself', async () => {
    const { workspaceId, owner } = await fullWorkspace();
    const outsider = await signUp(graph.url, { label: 'outsider' });
    expectError(await as(graph.url, owner, TRANSFER, { workspaceId, userId: outsider.id }), 'NOT_FOUND');
    expectError(await as(graph.url, owner, TRANSFER, { workspaceId, userId: owner.id }), 'BAD_USER_INPUT', 'userId');
  });

  it('leaves exactly one OWNER when the OWNER fires two transfers at once', async () => {
    for (let round = 0; round < 3; round += 1) {
      const { workspaceId, owner, admin, editor } = await fullWorkspace();
      const [toAdmin, toEditor] = await Promise.all([
        as(graph.url, owner, TRANSFER, { workspaceId, userId: admin.id }),
        as(graph.url, owner, TRANSFER, { workspaceId, userId: editor.id }),
      ]);
      const outcomes = [toAdmin, toEditor].map((response) => (response.body.errors ? response.body.errors[0]?.extensions?.['code'] : 'ok'));
      expect(outcomes.sort()).toEqual(['FORBIDDEN', 'ok']);
      const roles = await rolesIn(graph.url, owner, workspaceId);
      const owners = Object.entries(roles).filter(([, role]) => role === 'OWNER');
      expect(owners).toHaveLength(1);
      expect(roles[owner.id]).toBe('ADMIN');
      expect(owners[0]?.[0]).toBe(toAdmin.body.errors ? editor.id : admin.id);
    }
  });
});

describe('deleting: OWNER only', () => {
  it('lets the OWNER delete the workspace with its memberships', async () => {
    const { workspaceId, owner, editor } = await fullWorkspace();
    expect(dataOf(await as(graph.url, owner, DELETE_WORKSPACE, { id: workspaceId }))).toEqual({ deleteWorkspace: true });
    for (const member of [owner, editor]) {
      expect(dataOf(await as<{ workspace: unknown }>(graph.url, member, WORKSPACE_ROLES, { id: workspaceId })).workspace).toBeNull();
    }
    expectError(await as(graph.url, owner, DELETE_WORKSPACE, { id: workspaceId }), 'NOT_FOUND');
  });

  it('refuses every other role with FORBIDDEN', async () => {
    const { workspaceId, owner, admin, editor, commenter, viewer } = await fullWorkspace();
    for (const member of [admin, editor, commenter, viewer]) {
      expectError(await as(graph.url, member, DELETE_WORKSPACE, { id: workspaceId }), 'FORBIDDEN');
    }
    expect(dataOf(await as<{ workspace: unknown }>(graph.url, owner, WORKSPACE_ROLES, { id: workspaceId })).workspace).not.toBeNull();
  });
});

describe("a non-member's view: nothing, as if the workspace did not exist", () => {
  it('gets null from workspace(id) and no trace in workspaces, for an existing and a made-up id alike', async () => {
    const { workspaceId } = await fullWorkspace();
    const outsider = await signUp(graph.url, { label: 'outsider' });
    for (const id of [workspaceId, '00000000-0000-4000-8000-000000000000', 'not-a-uuid']) {
      expect(dataOf(await as<{ workspace: unknown }>(graph.url, outsider, WORKSPACE_ROLES, { id })).workspace).toBeNull();
    }
    expect(dataOf(await as(graph.url, outsider, '{ workspaces { totalCount nodes { id } } }'))).toEqual({
      workspaces: { totalCount: 0, nodes: [] },
    });
  });

  it('gets NOT_FOUND (never FORBIDDEN) from every mutation on it', async () => {
    const { workspaceId, editor } = await fullWorkspace();
    const outsider = await signUp(graph.url, { label: 'outsider' });
    const newcomer = await signUp(graph.url, { label: 'newcomer' });
    const attempts = [
      as(graph.url, outsider, UPDATE_WORKSPACE, { id: workspaceId, input: { name: 'Mine' } }),
      as(graph.url, outsider, DELETE_WORKSPACE, { id: workspaceId }),
      as(graph.url, outsider, ADD_MEMBER, { workspaceId, email: newcomer.email, role: 'VIEWER' }),
      as(graph.url, outsider, ADD_MEMBER, { workspaceId, email: outsider.email, role: 'ADMIN' }),
      as(graph.url, outsider, UPDATE_ROLE, { workspaceId, userId: editor.id, role: 'VIEWER' }),
      as(graph.url, outsider, UPDATE_ROLE, { workspaceId, userId: outsider.id, role: 'ADMIN' }),
      as(graph.url, outsider, REMOVE_MEMBER, { workspaceId, userId: editor.id }),
      as(graph.url, outsider, REMOVE_MEMBER, { workspaceId, userId: outsider.id }),
      as(graph.url, outsider, TRANSFER, { workspaceId, userId: outsider.id }),
    ];
    for (const response of await Promise.all(attempts)) expectError(response, 'NOT_FOUND');
  });
});
