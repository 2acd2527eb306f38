import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { redisEventPublisher, type DomainEventBody } from '@pyairtable/common/events';
import { as, dataOf, describeResponse, expectError, signUp, type Account } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import type { TestGraph } from '../support/graph.js';
import { queryDatabase } from '../users/helpers.js';

export { as, dataOf, expectError, signUp, queryDatabase, type Account };

export type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'COMMENTER' | 'VIEWER';

export const CREATE_WORKSPACE = `mutation CreateWorkspace($input: CreateWorkspaceInput!) {
  createWorkspace(input: $input) { id name description createdAt updatedAt myRole memberCount owner { id } }
}`;

export async function createWorkspace(routerUrl: string, owner: Account, name = 'Workspace'): Promise<string> {
  const response = await as<{ createWorkspace: { id: string } }>(routerUrl, owner, CREATE_WORKSPACE, { input: { name } });
  return dataOf(response).createWorkspace.id;
}

export const ADD_MEMBER = `mutation AddMember($workspaceId: ID!, $email: String!, $role: WorkspaceRole!) {
  addWorkspaceMember(workspaceId: $workspaceId, email: $email, role: $role) { user { id } role joinedAt }
}`;

export const UPDATE_ROLE = `mutation UpdateRole($workspaceId: ID!, $userId: ID!, $role: WorkspaceRole!) {
  updateWorkspaceMemberRole(workspaceId: $workspaceId, userId: $userId, role: $role) { user { id } role joinedAt }
}`;

export const REMOVE_MEMBER = `mutation RemoveMember($workspaceId: ID!, $userId: ID!) {
  removeWorkspaceMember(workspaceId: $workspaceId, userId: $userId)
}`;

export const TRANSFER = `mutation Transfer($workspaceId: ID!, $userId: ID!) {
  transferWorkspaceOwnership(workspaceId: $workspaceId, userId: $userId) { id owner { id } myRole }
}`;

export const UPDATE_WORKSPACE = `mutation UpdateWorkspace($id: ID!, $input: UpdateWorkspaceInput!) {
  updateWorkspace(id: $id, input: $input) { id name description updatedAt }
}`;

export const DELETE_WORKSPACE = 'mutation DeleteWorkspace($id: ID!) { deleteWorkspace(id: $id) }';

export const WORKSPACE_ROLES = `query WorkspaceRoles($id: ID!) {
  workspace(id: $id) { id myRole memberCount owner { id } members(first: 100) { nodes { user { id } role } } }
}`;

export async function addMember(routerUrl: string, actor: Account, workspaceId: string, member: Account, role: Role): Promise<void> {
  dataOf(await as(routerUrl, actor, ADD_MEMBER, { workspaceId, email: member.email, role }));
}

/** A workspace owned by a fresh account, with one fresh member per role asked for. */
export async function workspaceWith(routerUrl: string, roles: Array<Exclude<Role, 'OWNER'>>) {
  const owner = await signUp(routerUrl, { label: 'owner' });
  const workspaceId = await createWorkspace(routerUrl, owner);
  const members: Account[] = [];
  for (const role of roles) {
    const member = await signUp(routerUrl, { label: role.toLowerCase() });
    await addMember(routerUrl, owner, workspaceId, member, role);
    members.push(member);
  }
  return { owner, workspaceId, members };
}

/** Each member's role, as the owner (or another member) reads it. */
export async function rolesIn(routerUrl: string, reader: Account, workspaceId: string): Promise<Record<string, Role>> {
  const response = await as<{ workspace: { members: { nodes: Array<{ user: { id: string }; role: Role }> } } | null }>(
    routerUrl,
    reader,
    WORKSPACE_ROLES,
    { id: workspaceId },
  );
  const workspace = dataOf(response).workspace;
  if (!workspace) throw new Error(`${describeResponse(response)}: the reader cannot see the workspace`);
  return Object.fromEntries(workspace.members.nodes.map((node) => [node.user.id, node.role]));
}

/**
 * Publishes an account event to the graph's event stream, as the auth subgraph would, and waits until the
 * workspaces subgraph applied it.
 */
export async function publishAccountEvent(graph: TestGraph, event: DomainEventBody): Promise<void> {
  const redisUrl = graph.env['REDIS_URL'];
  const keyPrefix = graph.env['REDIS_KEY_PREFIX'];
  if (redisUrl === undefined || keyPrefix === undefined) throw new Error('the graph has no Redis settings');
  const id = randomUUID();
  const redis = new Redis(redisUrl);
  try {
    await redisEventPublisher(redis, keyPrefix).publish([{ ...event, id, occurredAt: new Date().toISOString() }]);
  } finally {
    await redis.quit();
  }
  const applied = await eventually(
    () => queryDatabase('SELECT 1 FROM pyairtable_workspaces.processed_events WHERE event_id = $1', [id]),
    (rows) => rows.length === 1,
    10_000,
    50,
  );
  if (applied.length !== 1) throw new Error(`the workspaces subgraph did not apply ${event.type} within 10 s`);
}

/**
 * Makes the account's email verified as far as the workspaces subgraph knows. Until the auth subgraph's
 * verifyEmail exists this publishes the user.email_verified event it will publish; switch it to the real flow
 * (the verification mail's link, then verifyEmail) once it does.
 */
export function markEmailVerified(graph: TestGraph, account: Account): Promise<void> {
  return publishAccountEvent(graph, { type: 'user.email_verified', data: { userId: account.id, email: account.email } });
}
