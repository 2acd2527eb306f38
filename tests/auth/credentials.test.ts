import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { AUTH_PAYLOAD_FIELDS, errorCodes, graphql, login, register, uniqueEmail } from '../support/client.js';
import { itemAt } from '../support/defined.js';
import { counterValue } from '../support/metrics.js';

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
  const bcryptChecks = () => counterValue(graph.subgraphUrls.auth, 'password_hash_duration_seconds_count', { operation: 'verify' });

  it('answers a wrong password and an unknown email with the same error, each after one bcrypt check, in about the same time', async () => {
    const user = await register(graph.routerUrl);
    const checksBefore = await bcryptChecks();
    const wrongPassword = [];
    const unknownEmail = [];
    for (let attempt = 0; attempt < 6; attempt += 1) {
      wrongPassword.push(await timedLogin(user.user.email, `wrong password ${attempt}`));
      unknownEmail.push(await timedLogin(uniqueEmail('nobody'), user.password));
    }
    const messages = new Set([...wrongPassword, ...unknownEmail].map(({ response }) => JSON.stringify(response.body.errors)));
    expect(messages.size).toBe(1);
    expect(errorCodes(itemAt(wrongPassword, 0, 'a wrong-password login').response)).toEqual(['UNAUTHENTICATED']);
    // The property itself, free of the machine's noise: an unknown email is checked against the decoy hash.
    expect((await bcryptChecks()) - checksBefore).toBe(wrongPassword.length + unknownEmail.length);

    // The fastest of each: a busy machine only ever adds time, so the least is each path's own cost. bcrypt at
    // cost 10 takes ~50 ms and the rest of a login a few: skipping it would put the ratio near 0.1, while the same
    // work drew 0.5 on a CI machine running two test passes on two cores.
    const known = Math.min(...wrongPassword.map(({ elapsed }) => elapsed));
    const unknown = Math.min(...unknownEmail.map(({ elapsed }) => elapsed));
    expect(Math.min(known, unknown) / Math.max(known, unknown)).toBeGreaterThan(0.3);
  });
});
