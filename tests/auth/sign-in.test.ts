import { describe, expect, it } from '@jest/globals';
import { ADMIN_EMAIL } from '../support/graph.js';
import { useGraph } from '../support/use-graph.js';
import { AUTH_PAYLOAD_FIELDS, dataOf, errorCodes, graphql, login, register, uniqueEmail } from '../support/client.js';

const graph = useGraph();

const ME = 'query Me { me { id email role createdAt } }';

describe('register → login → me through the router', () => {
  it('signs a new account in and answers me with its data', async () => {
    const email = uniqueEmail('flow');
    const registered = await register(graph.routerUrl, { email: `  ${email.toUpperCase()} ` });
    expect(registered.user.email).toBe(email);
    expect(registered.user.role).toBe('USER');
    expect(registered.tokenType).toBe('Bearer');
    expect(registered.expiresIn).toBe(900);

    const loggedIn = await login(graph.routerUrl, email.toUpperCase(), registered.password);
    expect(loggedIn.body.errors).toBeUndefined();
    const payload = dataOf(loggedIn).login;
    expect(payload.user.id).toBe(registered.user.id);
    expect(payload.refreshToken).not.toBe(registered.refreshToken);

    const me = await graphql<{ me: { id: string; email: string } }>(graph.routerUrl, ME, {}, { token: payload.accessToken });
    expect(me.status).toBe(200);
    expect(me.body.data?.me).toEqual({ id: registered.user.id, email, role: 'USER', createdAt: registered.user.createdAt });
  });

  it('makes an account listed in ADMIN_EMAILS an ADMIN', async () => {
    const admin = await register(graph.routerUrl, { email: ADMIN_EMAIL.toUpperCase() });
    expect(admin.user.role).toBe('ADMIN');
  });

  it('answers me without a token with UNAUTHENTICATED', async () => {
    const response = await graphql(graph.routerUrl, ME);
    expect(errorCodes(response)).toEqual(['UNAUTHENTICATED']);
  });

  it('gives exactly one of 10 concurrent registrations of one email the account; the rest CONFLICT', async () => {
    const email = uniqueEmail('race');
    const attempts = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        graphql(graph.routerUrl, `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`, {
          input: { email: index % 2 ? email : email.toUpperCase(), password: 'a long enough password' },
        }),
      ),
    );
    const succeeded = attempts.filter((attempt) => attempt.body.data?.['register']);
    expect(succeeded).toHaveLength(1);
    expect(attempts.flatMap(errorCodes).sort()).toEqual(Array(9).fill('CONFLICT'));
  });
});
