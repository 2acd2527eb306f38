// Workspace invitations through the router: sent by mail (the graph's SMTP sink), accepted or declined by link or
// by id, exactly once, and only by the invited address.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Redis } from 'ioredis';
import { fromStreamFields, userEventStreamKey } from '@pyairtable/common/events';
import { randomUUID } from 'node:crypto';
import { errorCodes, uniqueEmail, type GraphQLResponse } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { startGraph, type TestGraph } from '../support/graph.js';
import { linkFrom, type ReceivedMail } from '../support/smtp-sink.js';
import {
  DELETE_WORKSPACE,
  UPDATE_ROLE,
  as,
  createWorkspace,
  dataOf,
  expectError,
  markEmailVerified,
  publishAccountEvent,
  queryDatabase,
  rolesIn,
  signUp,
  workspaceWith,
  type Account,
  type Role,
} from './helpers.js';

let graph: TestGraph;
let url: string;
beforeAll(async () => {
  graph = await startGraph();
  url = graph.routerUrl;
});
afterAll(async () => {
  await graph.close();
});

const INVITATION_FIELDS = 'id email role status workspaceName invitedByName createdAt expiresAt';

interface InvitationData {
  id: string;
  email: string;
  role: Role;
  status: 'PENDING' | 'ACCEPTED' | 'DECLINED' | 'REVOKED' | 'EXPIRED';
  workspaceName: string;
  invitedByName: string;
  createdAt: string;
  expiresAt: string;
}

const INVITE = `mutation Invite($workspaceId: ID!, $email: String!, $role: WorkspaceRole!) {
  inviteWorkspaceMember(workspaceId: $workspaceId, email: $email, role: $role) { ${INVITATION_FIELDS} }
}`;
const RESEND = `mutation Resend($id: ID!) { resendWorkspaceInvitation(id: $id) { ${INVITATION_FIELDS} } }`;
const REVOKE = 'mutation Revoke($id: ID!) { revokeWorkspaceInvitation(id: $id) }';
const ACCEPT = 'mutation Accept($token: String, $id: ID) { acceptWorkspaceInvitation(token: $token, id: $id) { id name myRole memberCount } }';
const DECLINE = 'mutation Decline($token: String, $id: ID) { declineWorkspaceInvitation(token: $token, id: $id) }';
const MY_INVITATIONS = `query MyInvitations { myInvitations { ${INVITATION_FIELDS} } }`;
const WORKSPACE_INVITATIONS = `query WorkspaceInvitations($id: ID!, $first: Int, $after: String) {
  workspace(id: $id) { invitations(first: $first, after: $after) { nodes { ${INVITATION_FIELDS} } pageInfo { endCursor hasNextPage } totalCount } }
}`;

interface InvitationPage {
  nodes: InvitationData[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

function invite(actor: Account, workspaceId: string, email: string, role: Role = 'EDITOR') {
  return as<{ inviteWorkspaceMember: InvitationData }>(url, actor, INVITE, { workspaceId, email, role });
}

async function invited(actor: Account, workspaceId: string, email: string, role: Role = 'EDITOR'): Promise<InvitationData> {
  return dataOf(await invite(actor, workspaceId, email, role)).inviteWorkspaceMember;
}

function accept(account: Account | null, reference: { token?: string; id?: string }) {
  return as<{ acceptWorkspaceInvitation: { id: string; name: string; myRole: Role; memberCount: number } }>(url, account, ACCEPT, reference);
}

async function myInvitations(account: Account): Promise<InvitationData[]> {
  return dataOf(await as<{ myInvitations: InvitationData[] }>(url, account, MY_INVITATIONS)).myInvitations;
}

async function workspaceInvitations(reader: Account, workspaceId: string, page: { first?: number; after?: string } = {}): Promise<InvitationPage> {
  const response = await as<{ workspace: { invitations: InvitationPage } | null }>(url, reader, WORKSPACE_INVITATIONS, { id: workspaceId, ...page });
  const workspace = dataOf(response).workspace;
  if (!workspace) throw new Error('the reader cannot see the workspace');
  return workspace.invitations;
}

function mailsTo(email: string): ReceivedMail[] {
  return graph.mail.received.filter((mail) => mail.to.includes(email));
}

/** The invitation mails to `email`: an invitee who registered also gets the auth subgraph's verification mail. */
function invitationMailsTo(email: string): ReceivedMail[] {
  return mailsTo(email).filter((mail) => linkFrom(mail, '/invitations/accept') !== undefined);
}

/** The token of the `count`-th invitation mail to `email` (the first by default), once it arrived. */
async function invitationToken(email: string, count = 1): Promise<string> {
  const mails = await eventually(
    () => Promise.resolve(invitationMailsTo(email)),
    (received) => received.length >= count,
    10_000,
    20,
  );
  const mail = mails[count - 1];
  if (!mail) throw new Error(`no invitation mail number ${count} to ${email} within 10 s (got ${mails.length})`);
  const token = linkFrom(mail, '/invitations/accept');
  if (!token) throw new Error(`the invitation mail to ${email} has no /invitations/accept link`);
  return token;
}

function outgoingMailCount(email: string): Promise<number> {
  return queryDatabase<{ count: number }>('SELECT COUNT(*)::int AS count FROM pyairtable_workspaces.outgoing_mail WHERE recipient = $1', [
    email,
  ]).then((rows) => rows[0]?.count ?? 0);
}

function expectCodes(responses: Array<GraphQLResponse<unknown>>, expected: Record<string, number>): void {
  const counts: Record<string, number> = {};
  for (const response of responses) {
    const code = response.body.errors ? errorCodes(response).join(',') : 'OK';
    counts[code] = (counts[code] ?? 0) + 1;
  }
  expect(counts).toEqual(expected);
}

async function ownedWorkspace(name = 'Invited space') {
  const owner = await signUp(url, { label: 'owner', displayName: 'Olive Owner' });
  const workspaceId = await createWorkspace(url, owner, name);
  return { owner, workspaceId };
}

describe('accepting by id', () => {
  it('an existing account sees and accepts its invitation once its email is verified, not before', async () => {
    const { owner, workspaceId } = await ownedWorkspace('Research');
    const invitee = await signUp(url, { label: 'invitee' });
    const invitation = await invited(owner, workspaceId, invitee.email.toUpperCase(), 'EDITOR');
    expect(invitation).toEqual({
      id: expect.any(String),
      email: invitee.email,
      role: 'EDITOR',
      status: 'PENDING',
      workspaceName: 'Research',
      invitedByName: 'Olive Owner',
      createdAt: expect.any(String),
      expiresAt: expect.any(String),
    });
    const lifetimeMs = Date.parse(invitation.expiresAt) - Date.parse(invitation.createdAt);
    expect(Math.abs(lifetimeMs - 7 * 86_400_000)).toBeLessThan(60_000);

    expect(await myInvitations(invitee)).toEqual([]);
    expectError(await accept(invitee, { id: invitation.id }), 'FORBIDDEN');
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER' });

    await markEmailVerified(graph, invitee);
    expect(await myInvitations(invitee)).toEqual([invitation]);
    const joined = dataOf(await accept(invitee, { id: invitation.id })).acceptWorkspaceInvitation;
    expect(joined).toEqual({ id: workspaceId, name: 'Research', myRole: 'EDITOR', memberCount: 2 });
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER', [invitee.id]: 'EDITOR' });

    expect(await myInvitations(invitee)).toEqual([]);
    expect((await workspaceInvitations(owner, workspaceId)).totalCount).toBe(0);
    expectError(await accept(invitee, { id: invitation.id }), 'NOT_FOUND');
  });

  it('lists only pending, unexpired invitations to the caller, newest first, with what the invitee is shown', async () => {
    const invitee = await signUp(url, { label: 'popular' });
    await markEmailVerified(graph, invitee);
    const first = await ownedWorkspace('First');
    const second = await ownedWorkspace('Second');
    const third = await ownedWorkspace('Third');
    const older = await invited(first.owner, first.workspaceId, invitee.email, 'VIEWER');
    const newer = await invited(second.owner, second.workspaceId, invitee.email, 'COMMENTER');
    const revoked = await invited(third.owner, third.workspaceId, invitee.email);
    expect(dataOf(await as(url, third.owner, REVOKE, { id: revoked.id }))).toEqual({ revokeWorkspaceInvitation: true });
    expect((await myInvitations(invitee)).map(({ id, workspaceName, role }) => ({ id, workspaceName, role }))).toEqual([
      { id: newer.id, workspaceName: 'Second', role: 'COMMENTER' },
      { id: older.id, workspaceName: 'First', role: 'VIEWER' },
    ]);
  });
});

describe('accepting by the link in the mail', () => {
  it('someone without an account is invited, registers, and joins with the link, which verifies their email', async () => {
    const { owner, workspaceId } = await ownedWorkspace('Newcomers');
    const email = uniqueEmail('newcomer');
    const invitation = await invited(owner, workspaceId, email, 'VIEWER');
    const token = await invitationToken(email);
    const [mail] = invitationMailsTo(email);
    expect(mail?.subject).toContain('Olive Owner');
    expect(mail?.subject).toContain('Newcomers');
    expect(mail?.text).toContain('viewer');
    expect(token.length).toBeGreaterThanOrEqual(43);
    const stored = await queryDatabase<{ token_hash: string }>('SELECT token_hash FROM pyairtable_workspaces.invitations WHERE id = $1', [
      invitation.id,
    ]);
    expect(stored[0]?.token_hash).not.toContain(token);

    // Accepted right after register: the subgraph catches up with the registration it has not applied yet.
    const newcomer = await signUp(url, { email });
    const joined = dataOf(await accept(newcomer, { token })).acceptWorkspaceInvitation;
    expect(joined).toMatchObject({ id: workspaceId, myRole: 'VIEWER' });
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER', [newcomer.id]: 'VIEWER' });
    expectError(await accept(newcomer, { token }), 'NOT_FOUND');

    // invitation.accepted reached the stream, for auth to mark the email verified.
    const redis = new Redis(graph.env['REDIS_URL'] ?? '');
    try {
      const published = await eventually(
        async () => {
          const stream = userEventStreamKey(graph.env['REDIS_KEY_PREFIX'] ?? '');
          const entries = (await redis.call('XREVRANGE', [stream, '+', '-', 'COUNT', '500'])) as Array<[string, string[]]>;
          return entries
            .map(([, fields]) => fromStreamFields(fields))
            .filter((event) => event.type === 'invitation.accepted' && event.data.invitationId === invitation.id);
        },
        (found) => found.length > 0,
        5_000,
        50,
      );
      expect(published.map((event) => event.data)).toEqual([{ invitationId: invitation.id, workspaceId, userId: newcomer.id, email, byToken: true }]);
    } finally {
      await redis.quit();
    }

    // The link proved the address here too: the newcomer's invitations are listed at once.
    const other = await ownedWorkspace('Second home');
    const second = await invited(other.owner, other.workspaceId, email);
    expect((await myInvitations(newcomer)).map((listed) => listed.id)).toEqual([second.id]);
  });

  it('refuses the wrong account, by link or by id, and the link keeps working for the right one', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const intended = await signUp(url, { label: 'intended' });
    const intruder = await signUp(url, { label: 'intruder' });
    await markEmailVerified(graph, intruder);
    const invitation = await invited(owner, workspaceId, intended.email);
    const token = await invitationToken(intended.email);

    expectError(await accept(intruder, { token }), 'FORBIDDEN');
    expectError(await accept(intruder, { id: invitation.id }), 'FORBIDDEN');
    expectError(await as(url, intruder, DECLINE, { id: invitation.id }), 'FORBIDDEN');
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER' });

    expect(dataOf(await accept(intended, { token })).acceptWorkspaceInvitation.myRole).toBe('EDITOR');
  });

  it('takes the caller’s email from the accounts it was told of, not from the access token', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const mover = await signUp(url, { label: 'mover' });
    const oldAddress = await invited(owner, workspaceId, mover.email);
    const oldToken = await invitationToken(mover.email);
    const newEmail = uniqueEmail('moved');
    await publishAccountEvent(graph, { type: 'user.email_changed', data: { userId: mover.id, email: newEmail, previousEmail: mover.email } });

    // The access token still carries the old email; the account no longer has it.
    expectError(await accept(mover, { token: oldToken }), 'FORBIDDEN');
    expectError(await accept(mover, { id: oldAddress.id }), 'FORBIDDEN');
    // A confirmed email change verified the new address.
    const newAddress = await invited(owner, workspaceId, newEmail.toUpperCase(), 'COMMENTER');
    expect((await myInvitations(mover)).map((listed) => listed.id)).toEqual([newAddress.id]);
    expect(dataOf(await accept(mover, { id: newAddress.id })).acceptWorkspaceInvitation.myRole).toBe('COMMENTER');
  });

  it('makes one member of ten concurrent accepts of one link', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'eager' });
    const invitation = await invited(owner, workspaceId, invitee.email, 'COMMENTER');
    const token = await invitationToken(invitee.email);

    const answers = await Promise.all(Array.from({ length: 10 }, () => accept(invitee, { token })));
    expectCodes(answers, { OK: 1, NOT_FOUND: 9 });
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER', [invitee.id]: 'COMMENTER' });
    const rows = await queryDatabase<{ status: string }>('SELECT status::text FROM pyairtable_workspaces.invitations WHERE workspace_id = $1', [
      workspaceId,
    ]);
    expect(rows).toEqual([{ status: 'ACCEPTED' }]);
    const events = await queryDatabase("SELECT id FROM pyairtable_workspaces.outbox_events WHERE payload->>'invitationId' = $1", [invitation.id]);
    expect(events).toHaveLength(1);
  });

  it('uses the invitation up, keeping the role, when the invitee became a member meanwhile', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'meanwhile' });
    const invitation = await invited(owner, workspaceId, invitee.email, 'VIEWER');
    const token = await invitationToken(invitee.email);
    dataOf(
      await as(url, owner, 'mutation ($w: ID!, $e: String!) { addWorkspaceMember(workspaceId: $w, email: $e, role: EDITOR) { role } }', {
        w: workspaceId,
        e: invitee.email,
      }),
    );

    expect(dataOf(await accept(invitee, { token })).acceptWorkspaceInvitation.myRole).toBe('EDITOR');
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER', [invitee.id]: 'EDITOR' });
    expectError(await accept(invitee, { id: invitation.id }), 'NOT_FOUND');
  });

  it('takes exactly one of token and id', async () => {
    const invitee = await signUp(url, { label: 'confused' });
    expectError(await accept(invitee, {}), 'BAD_USER_INPUT', 'token');
    expectError(await accept(invitee, { token: 'x', id: randomUUID() }), 'BAD_USER_INPUT', 'id');
    expectError(await as(url, invitee, DECLINE, {}), 'BAD_USER_INPUT', 'token');
    expectError(await accept(invitee, { token: 'not-a-token' }), 'NOT_FOUND');
    expectError(await accept(invitee, { id: 'not-an-id' }), 'NOT_FOUND');
    expectError(await accept(null, { token: 'not-a-token' }), 'UNAUTHENTICATED');
  });
});

describe('declining', () => {
  it('by link, even signed out: the link then stops working', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const email = uniqueEmail('uninterested');
    await invited(owner, workspaceId, email);
    const token = await invitationToken(email);
    expect(dataOf(await as(url, null, DECLINE, { token }))).toEqual({ declineWorkspaceInvitation: true });
    expectError(await as(url, null, DECLINE, { token }), 'NOT_FOUND');
    expect((await workspaceInvitations(owner, workspaceId)).totalCount).toBe(0);

    const registered = await signUp(url, { email });
    expectError(await accept(registered, { token }), 'NOT_FOUND');
  });

  it('by id, only once the email is verified', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'decliner' });
    const invitation = await invited(owner, workspaceId, invitee.email);
    expectError(await as(url, invitee, DECLINE, { id: invitation.id }), 'FORBIDDEN');
    await markEmailVerified(graph, invitee);
    expect(dataOf(await as(url, invitee, DECLINE, { id: invitation.id }))).toEqual({ declineWorkspaceInvitation: true });
    expect(await myInvitations(invitee)).toEqual([]);
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER' });
  });
});

describe('links that stop working', () => {
  it('revoking: the link answers NOT_FOUND, the invitation leaves the list', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'revoked' });
    const invitation = await invited(owner, workspaceId, invitee.email);
    const token = await invitationToken(invitee.email);
    expect((await workspaceInvitations(owner, workspaceId)).nodes.map((node) => node.id)).toEqual([invitation.id]);

    expect(dataOf(await as(url, owner, REVOKE, { id: invitation.id }))).toEqual({ revokeWorkspaceInvitation: true });
    expectError(await accept(invitee, { token }), 'NOT_FOUND');
    expect(await workspaceInvitations(owner, workspaceId)).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: 0 });
    expectError(await as(url, owner, REVOKE, { id: invitation.id }), 'NOT_FOUND');
    expectError(await as(url, owner, RESEND, { id: invitation.id }), 'NOT_FOUND');
  });

  it('resending: a second mail with a new link; the old link answers NOT_FOUND', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'resent' });
    const invitation = await invited(owner, workspaceId, invitee.email);
    const oldToken = await invitationToken(invitee.email);
    await queryDatabase("UPDATE pyairtable_workspaces.invitations SET expires_at = now() + interval '1 hour' WHERE id = $1", [invitation.id]);

    const resent = dataOf(
      await as<{ resendWorkspaceInvitation: InvitationData }>(url, owner, RESEND, { id: invitation.id }),
    ).resendWorkspaceInvitation;
    expect(resent).toMatchObject({ id: invitation.id, status: 'PENDING', createdAt: invitation.createdAt });
    expect(Date.parse(resent.expiresAt) - Date.now()).toBeGreaterThan(6 * 86_400_000);
    const newToken = await invitationToken(invitee.email, 2);
    expect(newToken).not.toBe(oldToken);
    expect(invitationMailsTo(invitee.email)).toHaveLength(2);

    expectError(await accept(invitee, { token: oldToken }), 'NOT_FOUND');
    expect(dataOf(await accept(invitee, { token: newToken })).acceptWorkspaceInvitation.myRole).toBe('EDITOR');
  });

  it('expiry: the link answers NOT_FOUND, the invitation shows EXPIRED, and inviting again renews it', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'late' });
    await markEmailVerified(graph, invitee);
    const invitation = await invited(owner, workspaceId, invitee.email);
    const token = await invitationToken(invitee.email);
    await queryDatabase("UPDATE pyairtable_workspaces.invitations SET expires_at = now() - interval '1 second' WHERE id = $1", [invitation.id]);

    expectError(await accept(invitee, { token }), 'NOT_FOUND');
    expectError(await accept(invitee, { id: invitation.id }), 'NOT_FOUND');
    expect(await myInvitations(invitee)).toEqual([]);
    expect((await workspaceInvitations(owner, workspaceId)).nodes.map(({ id, status }) => ({ id, status }))).toEqual([
      { id: invitation.id, status: 'EXPIRED' },
    ]);

    const renewed = await invited(owner, workspaceId, invitee.email, 'VIEWER');
    expect(renewed).toMatchObject({ id: invitation.id, status: 'PENDING', role: 'VIEWER' });
    expectError(await accept(invitee, { token }), 'NOT_FOUND');
    const newToken = await invitationToken(invitee.email, 2);
    expect(dataOf(await accept(invitee, { token: newToken })).acceptWorkspaceInvitation.myRole).toBe('VIEWER');
  });

  it('deleting the workspace: its links answer NOT_FOUND', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'orphaned' });
    await markEmailVerified(graph, invitee);
    const invitation = await invited(owner, workspaceId, invitee.email);
    const token = await invitationToken(invitee.email);
    expect(dataOf(await as(url, owner, DELETE_WORKSPACE, { id: workspaceId }))).toEqual({ deleteWorkspace: true });

    expectError(await accept(invitee, { token }), 'NOT_FOUND');
    expectError(await accept(invitee, { id: invitation.id }), 'NOT_FOUND');
    expect(await myInvitations(invitee)).toEqual([]);
  });
});

describe('who may invite, and whom', () => {
  it('OWNER and ADMIN see and send invitations; other members see none and send none', async () => {
    const { owner, workspaceId, members } = await workspaceWith(url, ['ADMIN', 'EDITOR', 'VIEWER']);
    const [admin, editor, viewer] = members as [Account, Account, Account];
    const outsider = await signUp(url, { label: 'outsider' });
    const sent = await invited(admin, workspaceId, uniqueEmail('by-admin'), 'EDITOR');

    for (const manager of [owner, admin]) expect((await workspaceInvitations(manager, workspaceId)).nodes.map((node) => node.id)).toEqual([sent.id]);
    for (const member of [editor, viewer]) {
      expect(await workspaceInvitations(member, workspaceId)).toEqual({
        nodes: [],
        pageInfo: { endCursor: null, hasNextPage: false },
        totalCount: 0,
      });
      expectError(await invite(member, workspaceId, uniqueEmail('by-member'), 'VIEWER'), 'FORBIDDEN');
      expectError(await as(url, member, REVOKE, { id: sent.id }), 'FORBIDDEN');
    }
    expectError(await invite(outsider, workspaceId, uniqueEmail('by-outsider')), 'NOT_FOUND');
    expectError(await as(url, outsider, REVOKE, { id: sent.id }), 'NOT_FOUND');
    expectError(await as(url, outsider, RESEND, { id: sent.id }), 'NOT_FOUND');
  });

  it('only the OWNER invites as ADMIN (and manages such an invitation); nobody invites an OWNER', async () => {
    const { owner, workspaceId, members } = await workspaceWith(url, ['ADMIN']);
    const [admin] = members as [Account];
    expectError(await invite(admin, workspaceId, uniqueEmail('would-be-admin'), 'ADMIN'), 'FORBIDDEN');
    const asAdmin = await invited(owner, workspaceId, uniqueEmail('admin-to-be'), 'ADMIN');
    expect(asAdmin.role).toBe('ADMIN');
    expectError(await as(url, admin, RESEND, { id: asAdmin.id }), 'FORBIDDEN');
    expectError(await as(url, admin, REVOKE, { id: asAdmin.id }), 'FORBIDDEN');
    for (const actor of [owner, admin])
      expectError(await invite(actor, workspaceId, uniqueEmail('would-be-owner'), 'OWNER'), 'BAD_USER_INPUT', 'role');
    expectError(await invite(owner, workspaceId, 'not an email'), 'BAD_USER_INPUT', 'email');
  });

  it('a member or a pending invitation is a CONFLICT, and a refused invitation sends no mail', async () => {
    const { owner, workspaceId, members } = await workspaceWith(url, ['EDITOR']);
    const [editor] = members as [Account];
    const email = uniqueEmail('twice');
    await invited(owner, workspaceId, email);
    expectError(await invite(owner, workspaceId, `  ${email.toUpperCase()} `, 'VIEWER'), 'CONFLICT');
    expectError(await invite(owner, workspaceId, editor.email, 'VIEWER'), 'CONFLICT');
    expectError(await invite(owner, workspaceId, owner.email, 'VIEWER'), 'CONFLICT');

    expect(await outgoingMailCount(email)).toBe(1);
    expect(await outgoingMailCount(editor.email)).toBe(0);
    await invitationToken(email);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(invitationMailsTo(email)).toHaveLength(1);
    expect(invitationMailsTo(editor.email)).toHaveLength(0);
  });

  it('answers alike whether or not the email has an account', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const registered = await signUp(url, { label: 'registered' });
    const unknown = uniqueEmail('unknown');
    const shape = ({ id: _id, email: _email, createdAt: _createdAt, expiresAt: _expiresAt, ...rest }: InvitationData) => rest;
    const forAccount = await invite(owner, workspaceId, registered.email);
    const forNobody = await invite(owner, workspaceId, unknown);
    expect(forAccount.status).toBe(forNobody.status);
    expect(shape(dataOf(forAccount).inviteWorkspaceMember)).toEqual(shape(dataOf(forNobody).inviteWorkspaceMember));
    await invitationToken(registered.email);
    await invitationToken(unknown);
  });

  it('pages through a workspace’s invitations, newest first', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const sent: string[] = [];
    for (let index = 0; index < 3; index += 1) sent.push((await invited(owner, workspaceId, uniqueEmail(`page-${index}`))).id);
    const first = await workspaceInvitations(owner, workspaceId, { first: 2 });
    expect(first.nodes.map((node) => node.id)).toEqual([sent[2], sent[1]]);
    expect(first).toMatchObject({ totalCount: 3, pageInfo: { hasNextPage: true } });
    const second = await workspaceInvitations(owner, workspaceId, { first: 2, after: first.pageInfo.endCursor ?? '' });
    expect(second.nodes.map((node) => node.id)).toEqual([sent[0]]);
    expect(second.pageInfo.hasNextPage).toBe(false);
  });

  it('an invitation accepted as ADMIN gives ADMIN, which the OWNER can change as usual', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitee = await signUp(url, { label: 'future-admin' });
    await invited(owner, workspaceId, invitee.email, 'ADMIN');
    const token = await invitationToken(invitee.email);
    expect(dataOf(await accept(invitee, { token })).acceptWorkspaceInvitation.myRole).toBe('ADMIN');
    dataOf(await as(url, owner, UPDATE_ROLE, { workspaceId, userId: invitee.id, role: 'VIEWER' }));
    expect(await rolesIn(url, owner, workspaceId)).toEqual({ [owner.id]: 'OWNER', [invitee.id]: 'VIEWER' });
  });
});

describe('throttling', () => {
  it('limits resends per sender: the 21st within an hour is RATE_LIMITED', async () => {
    const { owner, workspaceId } = await ownedWorkspace();
    const invitation = await invited(owner, workspaceId, uniqueEmail('pestered'));
    const answers = await Promise.all(Array.from({ length: 21 }, () => as(url, owner, RESEND, { id: invitation.id })));
    expectCodes(answers, { OK: 20, RATE_LIMITED: 1 });
    const limited = answers.find((answer) => answer.body.errors);
    expect(limited?.body.errors?.[0]?.extensions?.['retryAfter']).toEqual(expect.any(Number));
    expect(await outgoingMailCount(invitation.email)).toBe(21);
  });
});

describe('the workspaces outbox', () => {
  it('publishes, by polling, an event committed but never flushed', async () => {
    const invitationId = randomUUID();
    const payload = { invitationId, workspaceId: randomUUID(), userId: randomUUID(), email: uniqueEmail('polled'), byToken: false };
    await queryDatabase("INSERT INTO pyairtable_workspaces.outbox_events (id, type, payload) VALUES ($1, 'invitation.accepted', $2)", [
      randomUUID(),
      JSON.stringify(payload),
    ]);
    const rows = await eventually(
      () =>
        queryDatabase<{ published_at: Date | null }>(
          "SELECT published_at FROM pyairtable_workspaces.outbox_events WHERE payload->>'invitationId' = $1",
          [invitationId],
        ),
      (found) => found[0]?.published_at != null,
      5_000,
      50,
    );
    expect(rows[0]?.published_at).toEqual(expect.any(Date));
  });
});
