import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ADMIN_EMAIL } from '../support/graph.js';
import { useGraph } from '../support/use-graph.js';
import { createIsolatedDatabase } from '../support/isolated-database.js';
import { AUTH_PAYLOAD_FIELDS, errorCodes, graphql, login, register, type AuthPayload } from '../support/client.js';

let database: Awaited<ReturnType<typeof createIsolatedDatabase>>;
beforeAll(async () => {
  // Its own database: "the last ADMIN" must not depend on ADMINs other test files create.
  database = await createIsolatedDatabase();
});
const graph = useGraph(() => ({ ADMIN_EMAILS: ADMIN_EMAIL, DATABASE_URL: database.url }));
// Declared after the graph, so the database is dropped once the graph has closed.
afterAll(async () => {
  await database.drop();
});

const SESSIONS = 'query { sessions { id current createdAt lastUsedAt expiresAt userAgent ipAddress } }';
const LOGOUT = 'mutation ($refreshToken: String, $all: Boolean) { logout(refreshToken: $refreshToken, allSessions: $all) }';
const REFRESH = `mutation ($token: String!) { refreshToken(refreshToken: $token) { ${AUTH_PAYLOAD_FIELDS} } }`;
const CHANGE_PASSWORD = 'mutation ($current: String!, $next: String!) { changePassword(currentPassword: $current, newPassword: $next) }';
const SET_ROLE = 'mutation ($id: ID!, $role: UserRole!) { setUserRole(id: $id, role: $role) { id role } }';
const DELETE_USER = 'mutation ($id: ID!) { deleteUser(id: $id) }';

async function signInAgain(user: { user: { email: string }; password: string }): Promise<AuthPayload> {
  const response = await login(graph.routerUrl, user.user.email, user.password);
  const payload = response.body.data?.login;
  if (!payload) throw new Error(JSON.stringify(response.body.errors));
  return payload;
}

async function isAccepted(token: string): Promise<boolean> {
  const response = await graphql(graph.routerUrl, '{ sessions { id } }', {}, { token });
  if (response.status === 401) return false;
  expect(response.body.errors).toBeUndefined();
  return true;
}

describe('sessions', () => {
  it('lists the caller’s active sessions and marks the current one', async () => {
    const user = await register(graph.routerUrl, {}, { clientIp: '203.0.113.7', headers: { 'user-agent': 'jest-agent/1.0' } });
    const second = await signInAgain(user);
    const response = await graphql<{ sessions: Array<{ id: string; current: boolean; userAgent: string; ipAddress: string }> }>(
      graph.routerUrl,
      SESSIONS,
      {},
      { token: second.accessToken },
    );
    const sessions = response.body.data?.sessions ?? [];
    expect(sessions).toHaveLength(2);
    expect(sessions.filter((session) => session.current)).toHaveLength(1);
    expect(sessions).toContainEqual(expect.objectContaining({ userAgent: 'jest-agent/1.0', ipAddress: '203.0.113.7', current: false }));
  });
});

describe('logout', () => {
  it('refuses the session’s access token from the next request on, and its refresh token', async () => {
    const user = await register(graph.routerUrl);
    const other = await signInAgain(user);
    expect(await isAccepted(user.accessToken)).toBe(true);
    const response = await graphql(graph.routerUrl, LOGOUT, { refreshToken: user.refreshToken }, { token: user.accessToken });
    expect(response.body.data).toEqual({ logout: true });
    expect(await isAccepted(user.accessToken)).toBe(false);
    expect(errorCodes(await graphql(graph.routerUrl, REFRESH, { token: user.refreshToken }))).toEqual(['UNAUTHENTICATED']);
    expect(await isAccepted(other.accessToken)).toBe(true);
  });

  it('with allSessions revokes every session of the caller', async () => {
    const user = await register(graph.routerUrl);
    const other = await signInAgain(user);
    await graphql(graph.routerUrl, LOGOUT, { all: true }, { token: user.accessToken });
    expect(await isAccepted(user.accessToken)).toBe(false);
    expect(await isAccepted(other.accessToken)).toBe(false);
    expect(errorCodes(await graphql(graph.routerUrl, REFRESH, { token: other.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });

  it('needs a signed-in caller', async () => {
    expect(errorCodes(await graphql(graph.routerUrl, LOGOUT, {}))).toEqual(['UNAUTHENTICATED']);
  });
});

describe('changePassword', () => {
  it('revokes every other session at once, keeps the current one, and swaps the password', async () => {
    const user = await register(graph.routerUrl);
    const other = await signInAgain(user);
    const response = await graphql(
      graph.routerUrl,
      CHANGE_PASSWORD,
      { current: user.password, next: 'a brand new password' },
      { token: user.accessToken },
    );
    expect(response.body.data).toEqual({ changePassword: true });
    expect(await isAccepted(other.accessToken)).toBe(false);
    expect(await isAccepted(user.accessToken)).toBe(true);
    expect(errorCodes(await login(graph.routerUrl, user.user.email, user.password))).toEqual(['UNAUTHENTICATED']);
    expect((await login(graph.routerUrl, user.user.email, 'a brand new password')).body.data?.login).toBeDefined();
  });

  it('refuses a wrong current password and a too long new one, naming the field', async () => {
    const user = await register(graph.routerUrl);
    const wrong = await graphql(
      graph.routerUrl,
      CHANGE_PASSWORD,
      { current: 'not my password', next: 'a brand new password' },
      { token: user.accessToken },
    );
    expect(wrong.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'currentPassword' });
    const tooLong = await graphql(graph.routerUrl, CHANGE_PASSWORD, { current: user.password, next: 'x'.repeat(73) }, { token: user.accessToken });
    expect(tooLong.body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'newPassword' });
  });
});

describe('setUserRole and deleteUser', () => {
  it('lets only an ADMIN change roles, never demoting the last ADMIN, and applies a demotion at once', async () => {
    const admin = await register(graph.routerUrl, { email: ADMIN_EMAIL });
    const user = await register(graph.routerUrl);
    expect(errorCodes(await graphql(graph.routerUrl, SET_ROLE, { id: admin.user.id, role: 'USER' }, { token: user.accessToken }))).toEqual([
      'FORBIDDEN',
    ]);

    const lastAdmin = await graphql(graph.routerUrl, SET_ROLE, { id: admin.user.id, role: 'USER' }, { token: admin.accessToken });
    expect(errorCodes(lastAdmin)).toEqual(['CONFLICT']);

    const promoted = await graphql(graph.routerUrl, SET_ROLE, { id: user.user.id, role: 'ADMIN' }, { token: admin.accessToken });
    expect(promoted.body.data).toEqual({ setUserRole: { id: user.user.id, role: 'ADMIN' } });
    // The promoted user's old token carries role USER: it is refused, and a refresh brings the new role.
    expect(await isAccepted(user.accessToken)).toBe(false);
    const refreshed = await graphql<{ refreshToken: AuthPayload }>(graph.routerUrl, REFRESH, { token: user.refreshToken });
    expect(refreshed.body.data?.refreshToken.user.role).toBe('ADMIN');

    const unknown = await graphql(
      graph.routerUrl,
      SET_ROLE,
      { id: '00000000-0000-4000-8000-000000000000', role: 'ADMIN' },
      { token: admin.accessToken },
    );
    expect(errorCodes(unknown)).toEqual(['NOT_FOUND']);
  });

  it('accepts a token refreshed right after a role change at once, with the new role', async () => {
    // The first test of this block may have registered the ADMIN already.
    const signedIn = (await login(graph.routerUrl, ADMIN_EMAIL, 'correct horse battery')).body.data?.login;
    const admin = signedIn ?? (await register(graph.routerUrl, { email: ADMIN_EMAIL }));
    for (const role of ['ADMIN', 'USER'] as const) {
      const user = await register(graph.routerUrl);
      const changed = await graphql(graph.routerUrl, SET_ROLE, { id: user.user.id, role }, { token: admin.accessToken });
      expect(changed.body.data).toEqual({ setUserRole: { id: user.user.id, role } });
      const refreshed = await graphql<{ refreshToken: AuthPayload }>(graph.routerUrl, REFRESH, { token: user.refreshToken });
      const accessToken = refreshed.body.data?.refreshToken.accessToken ?? '';
      const me = await graphql<{ me: { role: string } }>(graph.routerUrl, '{ me { role } }', {}, { token: accessToken });
      expect([me.status, me.body.errors, me.body.data?.me.role]).toEqual([200, undefined, role]);
    }
  });

  it('deletes an account: its tokens are refused and it cannot sign in; others may not delete it', async () => {
    const user = await register(graph.routerUrl);
    const stranger = await register(graph.routerUrl);
    expect(errorCodes(await graphql(graph.routerUrl, DELETE_USER, { id: user.user.id }, { token: stranger.accessToken }))).toEqual(['FORBIDDEN']);
    const response = await graphql(graph.routerUrl, DELETE_USER, { id: user.user.id }, { token: user.accessToken });
    expect(response.body.data).toEqual({ deleteUser: true });
    expect(await isAccepted(user.accessToken)).toBe(false);
    expect(errorCodes(await login(graph.routerUrl, user.user.email, user.password))).toEqual(['UNAUTHENTICATED']);
    expect(errorCodes(await graphql(graph.routerUrl, REFRESH, { token: user.refreshToken }))).toEqual(['UNAUTHENTICATED']);
  });
});
