// Hostile text and ids at the workspace mutations: control and invisible characters, look-alike emails, non-UUID ids.
import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { as, dataOf, expectError, signUp, uniqueEmail, type Account } from '../support/client.js';

const graph = useGraph();

const CREATE = 'mutation ($input: CreateWorkspaceInput!) { createWorkspace(input: $input) { id name description } }';
const UPDATE = 'mutation ($id: ID!, $input: UpdateWorkspaceInput!) { updateWorkspace(id: $id, input: $input) { id description } }';
const INVITE =
  'mutation ($workspaceId: ID!, $email: String!) { inviteWorkspaceMember(workspaceId: $workspaceId, email: $email, role: EDITOR) { id } }';
const ADD = 'mutation ($workspaceId: ID!, $email: String!) { addWorkspaceMember(workspaceId: $workspaceId, email: $email, role: EDITOR) { role } }';

async function workspaceOf(owner: Account): Promise<string> {
  return dataOf(await as<{ createWorkspace: { id: string } }>(graph.routerUrl, owner, CREATE, { input: { name: 'Hostile input' } })).createWorkspace
    .id;
}

describe('control and invisible characters in a workspace', () => {
  it('refuses NUL and invisible characters in the name and description, naming the field', async () => {
    const owner = await signUp(graph.routerUrl);
    expectError(await as(graph.routerUrl, owner, CREATE, { input: { name: 'Team\u0000' } }), 'BAD_USER_INPUT', 'name');
    expectError(await as(graph.routerUrl, owner, CREATE, { input: { name: '\u200BTeam' } }), 'BAD_USER_INPUT', 'name');
    expectError(await as(graph.routerUrl, owner, CREATE, { input: { name: 'Team', description: 'a\u0000b' } }), 'BAD_USER_INPUT', 'description');
    const id = await workspaceOf(owner);
    expectError(await as(graph.routerUrl, owner, UPDATE, { id, input: { name: 'x\u202Ey' } }), 'BAD_USER_INPUT', 'name');
    expectError(await as(graph.routerUrl, owner, UPDATE, { id, input: { description: 'x\u0000y' } }), 'BAD_USER_INPUT', 'description');
    const multiline = dataOf(
      await as<{ updateWorkspace: { description: string } }>(graph.routerUrl, owner, UPDATE, { id, input: { description: 'one\ntwo' } }),
    );
    expect(multiline.updateWorkspace.description).toBe('one\ntwo');
  });

  it('refuses NUL, zero-width and mixed-script emails in inviteWorkspaceMember and addWorkspaceMember', async () => {
    const owner = await signUp(graph.routerUrl);
    const workspaceId = await workspaceOf(owner);
    for (const email of [`x\u0000${uniqueEmail()}`, `x\u200B${uniqueEmail()}`, uniqueEmail().replace('@example.test', '@ex\u0430mple.test')]) {
      expectError(await as(graph.routerUrl, owner, INVITE, { workspaceId, email }), 'BAD_USER_INPUT', 'email');
      expectError(await as(graph.routerUrl, owner, ADD, { workspaceId, email }), 'BAD_USER_INPUT', 'email');
    }
  });

  it('answers NUL through the REST shim with 400, not 500', async () => {
    const owner = await signUp(graph.routerUrl);
    const response = await fetch(`${graph.routerUrl}/api/v1/workspaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${owner.token}` },
      body: JSON.stringify({ name: 'nul\u0000byte' }),
    });
    expect(response.status).toBe(400);
  });
});

describe('ids that are not UUIDs', () => {
  it('answers every workspace and invitation mutation with NOT_FOUND, and workspace(id) with null', async () => {
    const owner = await signUp(graph.routerUrl);
    const workspaceId = await workspaceOf(owner);
    const bad = 'not-a-uuid';
    const mutations: Array<[string, Record<string, unknown>]> = [
      [UPDATE, { id: bad, input: { name: 'x' } }],
      ['mutation ($id: ID!) { deleteWorkspace(id: $id) }', { id: bad }],
      [INVITE, { workspaceId: bad, email: uniqueEmail() }],
      ['mutation ($id: ID!) { resendWorkspaceInvitation(id: $id) { id } }', { id: bad }],
      ['mutation ($id: ID!) { revokeWorkspaceInvitation(id: $id) }', { id: bad }],
      ['mutation ($id: ID!) { acceptWorkspaceInvitation(id: $id) { id } }', { id: bad }],
      ['mutation ($id: ID!) { declineWorkspaceInvitation(id: $id) }', { id: bad }],
      ['mutation ($w: ID!, $u: ID!) { updateWorkspaceMemberRole(workspaceId: $w, userId: $u, role: ADMIN) { role } }', { w: workspaceId, u: bad }],
      ['mutation ($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }', { w: workspaceId, u: bad }],
      ['mutation ($w: ID!, $u: ID!) { transferWorkspaceOwnership(workspaceId: $w, userId: $u) { id } }', { w: workspaceId, u: bad }],
      ['mutation ($w: ID!, $u: ID!) { removeWorkspaceMember(workspaceId: $w, userId: $u) }', { w: bad, u: owner.id }],
    ];
    for (const [mutation, variables] of mutations) expectError(await as(graph.routerUrl, owner, mutation, variables), 'NOT_FOUND');
    expect(dataOf(await as(graph.routerUrl, owner, 'query ($id: ID!) { workspace(id: $id) { id } }', { id: bad }))).toEqual({ workspace: null });
  });
});
