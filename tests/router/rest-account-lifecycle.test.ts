// The REST shim's mailed-link routes: verify-email, password-reset and password-reset/confirm.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startGraph, type TestGraph } from '../support/graph.js';
import { randomClientIp, uniqueEmail } from '../support/client.js';
import { linkFrom } from '../support/smtp-sink.js';

let graph: TestGraph;
beforeAll(async () => {
  graph = await startGraph();
});
afterAll(async () => {
  await graph.close();
});

interface RestAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string; field?: string } };
}

async function post(path: string, json: unknown, token?: string): Promise<RestAnswer> {
  const response = await fetch(`${graph.routerUrl}/api/v1${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': randomClientIp(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(json),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as RestAnswer['body']) : {} };
}

async function registered() {
  const email = uniqueEmail('rest-lifecycle');
  const answer = await post('/auth/register', { email, password: 'long enough password', display_name: 'Rest Lifecycle' });
  expect(answer.status).toBe(201);
  return { email, tokens: answer.body as { access_token: string; refresh_token: string; user: { id: string } } };
}

async function mailedToken(email: string, path: string): Promise<string> {
  const mail = await graph.mail.waitForMail((candidate) => candidate.to.includes(email) && linkFrom(candidate, path) !== undefined);
  return linkFrom(mail, path) ?? '';
}

describe('POST /api/v1/auth/verify-email', () => {
  it('answers 200 with the verified user, then 404 for the used token, 400 without one', async () => {
    const { email, tokens } = await registered();
    const token = await mailedToken(email, '/verify-email');
    const verified = await post('/auth/verify-email', { token });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ id: tokens.user.id, email, email_verified: true, display_name: 'Rest Lifecycle', role: 'USER' });

    const reused = await post('/auth/verify-email', { token });
    expect(reused.status).toBe(404);
    expect(reused.body).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });

    const missing = await post('/auth/verify-email', {});
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'token' });
  });
});

describe('POST /api/v1/auth/password-reset and /confirm', () => {
  it('accepts any email with 202 {}, and the mailed token sets the password and signs in', async () => {
    const { email, tokens } = await registered();
    const unknownEmail = uniqueEmail('rest-nobody');
    for (const address of [unknownEmail, email]) {
      const accepted = await post('/auth/password-reset', { email: address });
      expect(accepted.status).toBe(202);
      expect(accepted.body).toEqual({});
    }
    const token = await mailedToken(email, '/reset-password');
    expect(graph.mail.received.filter((mail) => mail.to.includes(unknownEmail))).toEqual([]);

    const tooShort = await post('/auth/password-reset/confirm', { token, new_password: 'short' });
    expect(tooShort.status).toBe(400);
    expect(tooShort.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'new_password' });

    const reset = await post('/auth/password-reset/confirm', { token, new_password: 'a new long password' });
    expect(reset.status).toBe(200);
    expect(reset.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      user: { id: tokens.user.id, email, display_name: 'Rest Lifecycle', role: 'USER' },
    });
    // Every earlier session is revoked.
    expect((await post('/auth/logout', {}, tokens.access_token)).status).toBe(401);
    expect((await post('/auth/refresh', { refresh_token: tokens.refresh_token })).status).toBe(401);
    expect((await post('/auth/login', { email, password: 'a new long password' })).status).toBe(200);

    const reused = await post('/auth/password-reset/confirm', { token, new_password: 'another long password' });
    expect(reused.status).toBe(404);
    expect(reused.body.error?.code).toBe('NOT_FOUND');
  });

  it('refuses malformed bodies with 400', async () => {
    const noEmail = await post('/auth/password-reset', {});
    expect(noEmail.status).toBe(400);
    expect(noEmail.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const badEmail = await post('/auth/password-reset', { email: 'not an email' });
    expect(badEmail.status).toBe(400);
    expect(badEmail.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'email' });
    const noPassword = await post('/auth/password-reset/confirm', { token: 'some-token' });
    expect(noPassword.status).toBe(400);
    expect(noPassword.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'new_password' });
  });

  it('documents the empty 202 answer in the OpenAPI document', async () => {
    const document = (await (await fetch(`${graph.routerUrl}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
    };
    const accepted = document.paths['/api/v1/auth/password-reset']?.['post']?.responses['202'];
    expect(accepted?.content?.['application/json']?.schema).toEqual({ type: 'object', additionalProperties: false, maxProperties: 0 });
    expect(Object.keys(document.paths['/api/v1/auth/password-reset/confirm']?.['post']?.responses ?? {})).toContain('200');
    expect(Object.keys(document.paths['/api/v1/auth/verify-email']?.['post']?.responses ?? {})).toContain('200');
  });
});
