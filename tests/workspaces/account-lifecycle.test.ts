// The account lifecycle across subgraphs, through the router with real mail: what auth learns, workspaces
// learns too (a confirmed email change), and what workspaces proves, auth learns (an invitation link verifies).
import { describe, expect, it } from '@jest/globals';
import { uniqueEmail } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { linkFrom, type ReceivedMail } from '../support/smtp-sink.js';
import { useGraph } from '../support/use-graph.js';
import { ADD_MEMBER, as, createWorkspace, dataOf, signUp, type Account } from './helpers.js';

const graph = useGraph();

const ME = 'query { me { id email emailVerified } }';
const REQUEST_EMAIL_CHANGE = 'mutation ($email: String!, $password: String!) { requestEmailChange(newEmail: $email, currentPassword: $password) }';
const CONFIRM_EMAIL_CHANGE = 'mutation ($token: String!) { confirmEmailChange(token: $token) { email emailVerified } }';
const INVITE = `mutation ($workspaceId: ID!, $email: String!, $role: WorkspaceRole!) {
  inviteWorkspaceMember(workspaceId: $workspaceId, email: $email, role: $role) { id status }
}`;
const ACCEPT = 'mutation ($token: String) { acceptWorkspaceInvitation(token: $token) { id myRole } }';

/** The token of the first mail to `email` that carries a `path` link, once it arrived. */
async function mailedToken(email: string, path: string): Promise<string> {
  const mail = await graph.mail.waitForMail((candidate: ReceivedMail) => candidate.to.includes(email) && linkFrom(candidate, path) !== undefined);
  const token = linkFrom(mail, path);
  if (token === undefined) throw new Error(`no ${path} link in the mail to ${email}`);
  return token;
}

async function me(account: Account) {
  return dataOf(await as<{ me: { id: string; email: string; emailVerified: boolean } }>(graph.url, account, ME)).me;
}

describe('the account lifecycle across subgraphs', () => {
  it('after a confirmed email change, the workspaces subgraph finds the account by its new email', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const mover = await signUp(graph.url, { label: 'mover' });
    const workspaceId = await createWorkspace(graph.url, owner, 'Movers');
    const newEmail = uniqueEmail('moved');

    dataOf(await as(graph.url, mover, REQUEST_EMAIL_CHANGE, { email: newEmail, password: mover.password }));
    const confirmed = dataOf(
      await as<{ confirmEmailChange: { email: string; emailVerified: boolean } }>(graph.url, null, CONFIRM_EMAIL_CHANGE, {
        token: await mailedToken(newEmail, '/confirm-email-change'),
      }),
    ).confirmEmailChange;
    expect(confirmed).toEqual({ email: newEmail, emailVerified: true });

    const added = await as<{ addWorkspaceMember: { user: { id: string }; role: string } }>(graph.url, owner, ADD_MEMBER, {
      workspaceId,
      email: newEmail,
      role: 'EDITOR',
    });
    expect(dataOf(added).addWorkspaceMember).toMatchObject({ user: { id: mover.id }, role: 'EDITOR' });
  });

  it('a registered account that accepts an invitation by its link has its email verified in auth', async () => {
    const owner = await signUp(graph.url, { label: 'owner' });
    const workspaceId = await createWorkspace(graph.url, owner, 'Newcomers');
    const email = uniqueEmail('invitee');
    dataOf(await as(graph.url, owner, INVITE, { workspaceId, email, role: 'VIEWER' }));
    const invitationToken = await mailedToken(email, '/invitations/accept');

    const invitee = await signUp(graph.url, { email });
    expect((await me(invitee)).emailVerified).toBe(false);
    const joined = await as<{ acceptWorkspaceInvitation: { id: string; myRole: string } }>(graph.url, invitee, ACCEPT, { token: invitationToken });
    expect(dataOf(joined).acceptWorkspaceInvitation).toEqual({ id: workspaceId, myRole: 'VIEWER' });

    const verified = await eventually(
      () => me(invitee),
      (account) => account.emailVerified,
    );
    expect(verified).toEqual({ id: invitee.id, email, emailVerified: true });
  });
});
