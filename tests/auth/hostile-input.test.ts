// Hostile text at the auth mutations: control and invisible characters, look-alike emails, over-long passwords, non-UUID ids.
import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { AUTH_PAYLOAD_FIELDS, dataOf, expectError, graphql, login, randomClientIp, register, uniqueEmail } from '../support/client.js';

const adminEmail = uniqueEmail('hostile.admin');
const graph = useGraph({ ADMIN_EMAILS: adminEmail });

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;
const PASSWORD = 'long enough password';

/** Each printable ASCII character as its fullwidth form (what NFKC folds back). */
function fullwidth(text: string): string {
  return text.replace(/[!-~]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0));
}

function registerWith(input: Record<string, unknown>) {
  return graphql(graph.routerUrl, REGISTER, { input: { password: PASSWORD, ...input } }, { clientIp: randomClientIp() });
}

describe('control and invisible characters', () => {
  it('refuses NUL in displayName and email at register with BAD_USER_INPUT naming the field', async () => {
    expectError(await registerWith({ email: uniqueEmail(), displayName: 'Ada\u0000Lovelace' }), 'BAD_USER_INPUT', 'displayName');
    expectError(await registerWith({ email: `nul\u0000${uniqueEmail()}` }), 'BAD_USER_INPUT', 'email');
  });

  it('refuses zero-width, bidi and separator characters in a display name', async () => {
    for (const invisible of ['\u200B', '\u202E', '\u2066', '\u2028', '\uFEFF', '\u0085']) {
      expectError(await registerWith({ email: uniqueEmail(), displayName: `Ada${invisible}` }), 'BAD_USER_INPUT', 'displayName');
    }
  });

  it('refuses NUL in the email and password at login, and in requestPasswordReset and requestEmailChange', async () => {
    const user = await register(graph.routerUrl);
    expectError(await login(graph.routerUrl, `${user.user.email}\u0000`, user.password), 'BAD_USER_INPUT', 'email');
    expectError(await login(graph.routerUrl, user.user.email, `${user.password}\u0000`), 'BAD_USER_INPUT', 'password');
    const reset = await graphql(graph.routerUrl, 'mutation ($email: String!) { requestPasswordReset(email: $email) }', {
      email: `x\u0000@example.test`,
    });
    expectError(reset, 'BAD_USER_INPUT', 'email');
    const change = await graphql(
      graph.routerUrl,
      'mutation ($newEmail: String!, $currentPassword: String!) { requestEmailChange(newEmail: $newEmail, currentPassword: $currentPassword) }',
      { newEmail: `new\u0000@example.test`, currentPassword: user.password },
      { token: user.accessToken },
    );
    expectError(change, 'BAD_USER_INPUT', 'newEmail');
  });

  it('answers NUL through the REST shim with 400, not 500', async () => {
    const response = await fetch(`${graph.routerUrl}/api/v1/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': randomClientIp() },
      body: JSON.stringify({ email: uniqueEmail(), password: PASSWORD, display_name: 'Rest\u0000User' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error?: { code: string; field?: string } };
    expect(body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'display_name' });
  });
});

describe('look-alike emails', () => {
  it('does not make a new account of a fullwidth or NFD variant of an existing email (CONFLICT)', async () => {
    const email = uniqueEmail('jos\u00e9');
    await register(graph.routerUrl, { email });
    expectError(await registerWith({ email: fullwidth(email) }), 'CONFLICT');
    expectError(await registerWith({ email: email.normalize('NFD') }), 'CONFLICT');
  });

  it('refuses a zero-width variant of an existing email with BAD_USER_INPUT', async () => {
    const email = uniqueEmail('ada');
    await register(graph.routerUrl, { email });
    expectError(await registerWith({ email: `ada\u200B${email.slice(3)}` }), 'BAD_USER_INPUT', 'email');
    expectError(await registerWith({ email: `\u2060${email}` }), 'BAD_USER_INPUT', 'email');
  });

  it('signs the fullwidth variant of an email into the same account', async () => {
    const user = await register(graph.routerUrl, { email: uniqueEmail('ada') });
    const signedIn = dataOf(await login(graph.routerUrl, fullwidth(user.user.email), user.password));
    expect(signedIn.login.user.id).toBe(user.user.id);
  });

  it('refuses a domain label mixing scripts (a Cyrillic а among Latin letters), and accepts a one-script one', async () => {
    expectError(await registerWith({ email: uniqueEmail().replace('@example.test', '@ex\u0430mple.test') }), 'BAD_USER_INPUT', 'email');
    expect(
      (await registerWith({ email: uniqueEmail().replace('@example.test', '@\u043f\u0440\u0438\u043c\u0435\u0440.test') })).body.errors,
    ).toBeUndefined();
  });
});

describe('passwords at login', () => {
  it('refuses a password over 72 bytes instead of signing in with its first 72', async () => {
    const password = 'p'.repeat(72);
    const user = await register(graph.routerUrl, { password });
    expectError(await login(graph.routerUrl, user.user.email, `${password}EXTRA`), 'BAD_USER_INPUT', 'password');
    expect(dataOf(await login(graph.routerUrl, user.user.email, password)).login.user.id).toBe(user.user.id);
  });

  it('refuses a current password over 72 bytes at changePassword and requestEmailChange instead of matching its first 72', async () => {
    const password = 'q'.repeat(72);
    const user = await register(graph.routerUrl, { password });
    const options = { token: user.accessToken };
    const change = await graphql(
      graph.routerUrl,
      'mutation ($current: String!) { changePassword(currentPassword: $current, newPassword: "a brand new password") }',
      { current: `${password}EXTRA` },
      options,
    );
    expectError(change, 'BAD_USER_INPUT', 'currentPassword');
    const emailChange = await graphql(
      graph.routerUrl,
      'mutation ($current: String!, $email: String!) { requestEmailChange(newEmail: $email, currentPassword: $current) }',
      { current: `${password}EXTRA`, email: uniqueEmail() },
      options,
    );
    expectError(emailChange, 'BAD_USER_INPUT', 'currentPassword');
  });
});

describe('ids that are not UUIDs', () => {
  it('answers setUserRole and deleteUser with NOT_FOUND, through GraphQL and REST', async () => {
    const admin = await register(graph.routerUrl, { email: adminEmail });
    const options = { token: admin.accessToken };
    for (const id of ['not-a-uuid', '1', "'; drop table users; --"]) {
      expectError(await graphql(graph.routerUrl, 'mutation ($id: ID!) { setUserRole(id: $id, role: ADMIN) { id } }', { id }, options), 'NOT_FOUND');
      expectError(await graphql(graph.routerUrl, 'mutation ($id: ID!) { deleteUser(id: $id) }', { id }, options), 'NOT_FOUND');
    }
    const response = await fetch(`${graph.routerUrl}/api/v1/users/not-a-uuid`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${admin.accessToken}` },
    });
    expect(response.status).toBe(404);
  });
});
