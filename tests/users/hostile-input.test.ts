// Hostile text and ids at the profile mutations: control and invisible characters, non-UUID ids.
import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { as, dataOf, expectError, signUp, uniqueEmail, type Account } from '../support/client.js';

const adminEmail = uniqueEmail('profiles.hostile.admin');
const graph = useGraph({ ADMIN_EMAILS: adminEmail });

let admin: Account | undefined;
/** The file's one ADMIN, signed up by the first test that needs it. */
async function theAdmin(): Promise<Account> {
  admin ??= await signUp(graph.routerUrl, { email: adminEmail });
  return admin;
}

const UPDATE_ME = 'mutation ($input: UpdateProfileInput!) { updateMe(input: $input) { id displayName bio } }';

describe('control and invisible characters in a profile', () => {
  it('refuses NUL in every text field of updateMe with BAD_USER_INPUT naming the field', async () => {
    const user = await signUp(graph.routerUrl);
    const fields: Record<string, string> = {
      displayName: 'Ada\u0000',
      bio: 'About\u0000me',
      timezone: 'Europe/Paris\u0000',
      avatarUrl: 'https://example.test/a\u0000.png',
    };
    for (const [field, value] of Object.entries(fields)) {
      expectError(await as(graph.routerUrl, user, UPDATE_ME, { input: { [field]: value } }), 'BAD_USER_INPUT', field);
    }
  });

  it('refuses zero-width and bidi characters in a display name (also at its ends), and allows line breaks in a bio', async () => {
    const user = await signUp(graph.routerUrl);
    for (const displayName of ['\uFEFFAda', 'Ada\u200D', 'Ada\u202Eecila']) {
      expectError(await as(graph.routerUrl, user, UPDATE_ME, { input: { displayName } }), 'BAD_USER_INPUT', 'displayName');
    }
    expectError(await as(graph.routerUrl, user, UPDATE_ME, { input: { bio: 'hidden\u2066text' } }), 'BAD_USER_INPUT', 'bio');
    const multiline = dataOf(await as<{ updateMe: { bio: string } }>(graph.routerUrl, user, UPDATE_ME, { input: { bio: 'line one\n\tline two' } }));
    expect(multiline.updateMe.bio).toBe('line one\n\tline two');
  });

  it('refuses NUL in updateUser, and answers a non-UUID id with NOT_FOUND (and user(id) with null)', async () => {
    const admin = await theAdmin();
    const other = await signUp(graph.routerUrl);
    const update = 'mutation ($id: ID!, $input: UpdateProfileInput!) { updateUser(id: $id, input: $input) { id } }';
    expectError(await as(graph.routerUrl, admin, update, { id: other.id, input: { displayName: 'X\u0000' } }), 'BAD_USER_INPUT', 'displayName');
    expectError(await as(graph.routerUrl, admin, update, { id: 'not-a-uuid', input: { displayName: 'X' } }), 'NOT_FOUND');
    expect(dataOf(await as(graph.routerUrl, admin, 'query ($id: ID!) { user(id: $id) { id } }', { id: 'not-a-uuid' }))).toEqual({ user: null });
  });

  it('refuses NUL in the users search with BAD_USER_INPUT naming it', async () => {
    const admin = await theAdmin();
    expectError(
      await as(graph.routerUrl, admin, 'query ($search: String) { users(search: $search) { totalCount } }', { search: 'a\u0000' }),
      'BAD_USER_INPUT',
      'search',
    );
  });

  it('answers NUL through the REST shim with 400, not 500', async () => {
    const user = await signUp(graph.routerUrl);
    const response = await fetch(`${graph.routerUrl}/api/v1/users/me`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${user.token}` },
      body: JSON.stringify({ bio: 'nul\u0000byte' }),
    });
    expect(response.status).toBe(400);
  });
});
