import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { AUTH_PAYLOAD_FIELDS, errorCodes, graphql, login, register, uniqueEmail } from '../support/client.js';
import { itemAt } from '../support/defined.js';

// The production cost, so the timing comparison below measures bcrypt rather than noise.
const graph = useGraph({ BCRYPT_COST: '10' });

const REGISTER = `mutation ($input: RegisterInput!) { register(input: $input) { ${AUTH_PAYLOAD_FIELDS} } }`;

async function timedLogin(email: string, password: string) {
  const started = performance.now();
  const response = await login(graph.routerUrl, email, password);
  return { elapsed: performance.now() - started, response };
}

describe('passwords', () => {
  it('refuses a 73-byte password with BAD_USER_INPUT naming the field, and accepts 72 bytes', async () => {
    const tooLong = await graphql(graph.routerUrl, REGISTER, { input: { email: uniqueEmail(), password: 'é'.repeat(36) + 'x' } });
    expect(tooLong.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    const atLimit = await graphql(graph.routerUrl, REGISTER, { input: { email: uniqueEmail(), password: 'é'.repeat(36) } });
    expect(atLimit.body.errors).toBeUndefined();
  });

  it('refuses a password under 8 bytes and an invalid email, naming the field', async () => {
    const short = await graphql(graph.routerUrl, REGISTER, { input: { email: uniqueEmail(), password: 'short' } });
    expect(short.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'password' });
    const email = await graphql(graph.routerUrl, REGISTER, { input: { email: 'not-an-email', password: 'long enough password' } });
    expect(email.body.errors?.[0]?.extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
  });
});

describe('login', () => {
  it('answers a wrong password and an unknown email with the same error in about the same time', async () => {
    const user = await register(graph.routerUrl);
    const wrongPassword = [];
    const unknownEmail = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      wrongPassword.push(await timedLogin(user.user.email, `wrong password ${attempt}`));
      unknownEmail.push(await timedLogin(uniqueEmail('nobody'), user.password));
    }
    const messages = new Set([...wrongPassword, ...unknownEmail].map(({ response }) => JSON.stringify(response.body.errors)));
    expect(messages.size).toBe(1);
    expect(errorCodes(itemAt(wrongPassword, 0, 'a wrong-password login').response)).toEqual(['UNAUTHENTICATED']);

    // The fastest of each: a busy machine only ever adds time, so the least is each path's own cost.
    const known = Math.min(...wrongPassword.map(({ elapsed }) => elapsed));
    const unknown = Math.min(...unknownEmail.map(({ elapsed }) => elapsed));
    // bcrypt at cost 10 takes ~50 ms; skipping it for unknown emails would make them several times faster.
    expect(Math.min(known, unknown) / Math.max(known, unknown)).toBeGreaterThan(0.6);
  });
});
