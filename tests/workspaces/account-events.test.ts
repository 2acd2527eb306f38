import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { redisEventPublisher, type DomainEvent } from '@pyairtable/common/events';
import { runRedisPrefix, runRedisUrl } from '../support/environment.js';
import { useGraph } from '../support/use-graph.js';
import { register, uniqueEmail } from '../support/client.js';
import {
  ADD_MEMBER,
  UPDATE_ROLE,
  WORKSPACE_ROLES,
  addMember,
  as,
  createWorkspace,
  dataOf,
  expectError,
  rolesIn,
  signUp,
  type Account,
} from './helpers.js';
import { eventually, untilPasses } from '../support/eventually.js';

const graph = useGraph();

const DELETE_USER = 'mutation DeleteUser($id: ID!) { deleteUser(id: $id) }';

async function deleteAccount(account: Account): Promise<void> {
  expect(dataOf(await as(graph.url, account, DELETE_USER, { id: account.id }))).toEqual({ deleteUser: true });
}

async function workspaceVisibleTo(reader: Account, workspaceId: string) {
  const response = await as<{ workspace: { owner: { id: string }; memberCount: number } | null }>(graph.url, reader, WORKSPACE_ROLES, {
    id: workspaceId,
  });
  return dataOf(response).workspace;
}

describe('accounts reach this subgraph through the auth events', () => {
  it('adds a member by email right after the account registered (read your writes)', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner);
    // A burst of registrations puts the background consumer behind: each add must not wait for it.
    const emails = Array.from({ length: 20 }, () => uniqueEmail('fresh'));
    const registered = await Promise.all(emails.map((email) => register(graph.url, { email })));
    const added = await Promise.all(emails.map((email) => as(graph.url, owner, ADD_MEMBER, { workspaceId, email, role: 'EDITOR' })));
    expect(added.map((response) => dataOf(response))).toEqual(
      registered.map((account) => ({ addWorkspaceMember: { user: { id: account.user.id }, role: 'EDITOR', joinedAt: expect.any(String) } })),
    );
  });

  it('does not find an account deleted a moment ago', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner);
    const gone = await signUp(graph.url, { label: 'gone' });
    await deleteAccount(gone);
    await untilPasses(async () => {
      expectError(await as(graph.url, owner, ADD_MEMBER, { workspaceId, email: gone.email, role: 'VIEWER' }), 'NOT_FOUND');
    });
  });

  it("removes a deleted account's memberships within seconds", async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const first = await createWorkspace(graph.url, owner, 'First');
    const second = await createWorkspace(graph.url, owner, 'Second');
    const leaving = await signUp(graph.url, { label: 'leaving' });
    await addMember(graph.url, owner, first, leaving, 'EDITOR');
    await addMember(graph.url, owner, second, leaving, 'ADMIN');
    await deleteAccount(leaving);
    await untilPasses(async () => {
      expect(await rolesIn(graph.url, owner, first)).toEqual({ [owner.id]: 'OWNER' });
      expect(await rolesIn(graph.url, owner, second)).toEqual({ [owner.id]: 'OWNER' });
    });
  });

  it("passes a deleted OWNER's workspace to its longest-standing ADMIN", async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner);
    const [editor, firstAdmin, secondAdmin] = [
      await signUp(graph.url, { label: 'editor' }),
      await signUp(graph.url, { label: 'admin1' }),
      await signUp(graph.url, { label: 'admin2' }),
    ];
    await addMember(graph.url, owner, workspaceId, editor, 'EDITOR');
    await addMember(graph.url, owner, workspaceId, firstAdmin, 'VIEWER');
    await addMember(graph.url, owner, workspaceId, secondAdmin, 'ADMIN');
    // Joined before secondAdmin, made ADMIN after: what counts is how long they have been a member.
    dataOf(await as(graph.url, owner, UPDATE_ROLE, { workspaceId, userId: firstAdmin.id, role: 'ADMIN' }));

    await deleteAccount(owner);
    await untilPasses(async () => {
      expect(await rolesIn(graph.url, secondAdmin, workspaceId)).toEqual({
        [firstAdmin.id]: 'OWNER',
        [secondAdmin.id]: 'ADMIN',
        [editor.id]: 'EDITOR',
      });
    });
    expect(await workspaceVisibleTo(editor, workspaceId)).toMatchObject({ owner: { id: firstAdmin.id }, memberCount: 3 });
  });

  it("deletes a deleted OWNER's workspace that has no ADMIN, and keeps the ones they only belonged to", async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const owned = await createWorkspace(graph.url, owner, 'Owned');
    const editor = await signUp(graph.url, { label: 'editor' });
    await addMember(graph.url, owner, owned, editor, 'EDITOR');
    const otherOwner = await signUp(graph.url, { label: 'other' });
    const joined = await createWorkspace(graph.url, otherOwner, 'Joined');
    await addMember(graph.url, otherOwner, joined, owner, 'ADMIN');

    await deleteAccount(owner);
    await untilPasses(async () => {
      expect(await workspaceVisibleTo(editor, owned)).toBeNull();
      expect(await rolesIn(graph.url, otherOwner, joined)).toEqual({ [otherOwner.id]: 'OWNER' });
    });
    expect(dataOf(await as(graph.url, editor, '{ workspaces { totalCount } }'))).toEqual({ workspaces: { totalCount: 0 } });
  });

  it('applies a redelivered event only once: a replayed registration does not bring a deleted account back', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner);
    const redis = new Redis(runRedisUrl());
    try {
      const stream = redisEventPublisher(redis, runRedisPrefix());
      const userId = randomUUID();
      const email = uniqueEmail('replayed');
      const now = new Date().toISOString();
      const registered: DomainEvent = {
        id: randomUUID(),
        type: 'user.registered',
        occurredAt: now,
        data: { userId, email, displayName: null, registeredAt: now },
      };
      await stream.publish([registered]);
      const added = await as(graph.url, owner, ADD_MEMBER, { workspaceId, email, role: 'VIEWER' });
      expect(dataOf(added)).toMatchObject({ addWorkspaceMember: { user: { id: userId } } });

      await stream.publish([{ id: randomUUID(), type: 'user.deleted', occurredAt: now, data: { userId } }, registered]);
      // Until the deletion is applied the account is still a member (CONFLICT); once it is, the miss makes the
      // subgraph catch up with the replayed registration before answering.
      await eventually(
        () => rolesIn(graph.url, owner, workspaceId),
        (roles) => !(userId in roles),
      );
      expectError(await as(graph.url, owner, ADD_MEMBER, { workspaceId, email, role: 'VIEWER' }), 'NOT_FOUND');
      expect(await rolesIn(graph.url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER' });
    } finally {
      await redis.quit();
    }
  });
});
