import { describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { randomClientIp, uniqueEmail } from '../support/client.js';
import { linkFrom } from '../support/smtp-sink.js';
import { REST_ROUTES } from '@pyairtable/router/rest';
import { openApiPath } from '@pyairtable/router/rest';

const graph = useGraph();

interface RestAnswer {
  status: number;
  headers: Headers;
  body: Record<string, unknown> & { error?: { code: string; message: string; field?: string } };
}

async function rest(
  method: string,
  path: string,
  {
    json,
    raw,
    contentType = 'application/json',
    token,
    clientIp = randomClientIp(),
  }: { json?: unknown; raw?: string; contentType?: string; token?: string; clientIp?: string } = {},
): Promise<RestAnswer> {
  const headers: Record<string, string> = { 'x-forwarded-for': clientIp };
  if (json !== undefined || raw !== undefined) headers['content-type'] = contentType;
  if (token) headers['authorization'] = `Bearer ${token}`;
  const response = await fetch(`${graph.routerUrl}${path}`, {
    method,
    headers,
    body: raw ?? (json === undefined ? undefined : JSON.stringify(json)),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? (JSON.parse(text) as RestAnswer['body']) : {} };
}

async function registerViaRest(email = uniqueEmail('rest')) {
  const answer = await rest('POST', '/api/v1/auth/register', { json: { email, password: 'long enough password', display_name: 'Rest User' } });
  expect(answer.status).toBe(201);
  return { email, tokens: answer.body as { access_token: string; refresh_token: string; user: { id: string } } };
}

describe('REST auth routes', () => {
  it('register answers 201 with a snake_case token response', async () => {
    const email = uniqueEmail('rest');
    const answer = await rest('POST', '/api/v1/auth/register', { json: { email, password: 'long enough password' } });
    expect(answer.status).toBe(201);
    expect(answer.body).toEqual({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 900,
      user: { id: expect.any(String), email, display_name: expect.any(String), role: 'USER' },
    });
  });

  it('login, refresh and logout behave as the GraphQL mutations do', async () => {
    const { email, tokens } = await registerViaRest();
    const login = await rest('POST', '/api/v1/auth/login', { json: { email, password: 'long enough password' } });
    expect(login.status).toBe(200);
    const refreshed = await rest('POST', '/api/v1/auth/refresh', { json: { refresh_token: tokens.refresh_token } });
    expect(refreshed.status).toBe(200);
    expect(refreshed.body['refresh_token']).not.toBe(tokens.refresh_token);

    const reused = await rest('POST', '/api/v1/auth/refresh', { json: { refresh_token: tokens.refresh_token } });
    expect(reused.status).toBe(401);
    expect(reused.body.error?.code).toBe('UNAUTHENTICATED');

    const loginTokens = login.body as { access_token: string; refresh_token: string };
    const logout = await rest('POST', '/api/v1/auth/logout', { json: { refresh_token: loginTokens.refresh_token }, token: loginTokens.access_token });
    expect(logout.status).toBe(204);
    const afterLogout = await rest('POST', '/api/v1/auth/logout', { json: {}, token: loginTokens.access_token });
    expect(afterLogout.status).toBe(401);
  });

  it('logs out without any body (API.md: the body is optional), but still refuses a body that is not JSON', async () => {
    const { tokens } = await registerViaRest();
    const notJson = await rest('POST', '/api/v1/auth/logout', { raw: 'refresh_token=x', contentType: 'text/plain', token: tokens.access_token });
    expect(notJson.status).toBe(400);
    expect(notJson.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: '(body)' });

    const logout = await rest('POST', '/api/v1/auth/logout', { token: tokens.access_token });
    expect(logout.status).toBe(204);
    expect((await rest('GET', '/api/v1/users/me', { token: tokens.access_token })).status).toBe(401);
    expect((await rest('POST', '/api/v1/auth/logout', {})).status).toBe(401);
  });

  it('answers /api/v1/health as /health', async () => {
    const answer = await rest('GET', '/api/v1/health');
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual((await rest('GET', '/health')).body);
    expect(answer.body['status']).toBe('ok');
  });

  it('maps errors to API.md statuses with {"error": {code, message}}', async () => {
    const { email } = await registerViaRest();
    const taken = await rest('POST', '/api/v1/auth/register', { json: { email, password: 'long enough password' } });
    expect(taken.status).toBe(409);
    expect(taken.body).toEqual({ error: { code: 'CONFLICT', message: expect.any(String) } });

    const wrongPassword = await rest('POST', '/api/v1/auth/login', { json: { email, password: 'wrong password' } });
    expect(wrongPassword.status).toBe(401);

    const tooLong = await rest('POST', '/api/v1/auth/register', { json: { email: uniqueEmail(), password: 'x'.repeat(73) } });
    expect(tooLong.status).toBe(400);
    expect(tooLong.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'password' });

    const anonymousLogout = await rest('POST', '/api/v1/auth/logout', { json: {} });
    expect(anonymousLogout.status).toBe(401);
  });

  it('answers 429 with Retry-After when the login throttle trips', async () => {
    const { email } = await registerViaRest();
    // Five free failures and the one that starts the first wait go through; the other two wait.
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => rest('POST', '/api/v1/auth/login', { json: { email, password: 'wrong password' } })),
    );
    const limited = answers.filter((answer) => answer.status === 429);
    expect(limited).toHaveLength(2);
    expect(Number(limited[0]?.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(limited[0]?.body.error?.code).toBe('RATE_LIMITED');
  });
});

describe('REST user and workspace routes', () => {
  it('reads and edits profiles, lists users for an ADMIN only, and deletes an account', async () => {
    const { tokens } = await registerViaRest();
    const token = tokens.access_token;
    const me = await rest('GET', '/api/v1/users/me', { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ id: tokens.user.id, display_name: 'Rest User', avatar_url: null, created_at: expect.any(String) });

    const edited = await rest('PUT', '/api/v1/users/me', { token, json: { display_name: 'Renamed', timezone: 'Europe/Paris' } });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ display_name: 'Renamed', timezone: 'Europe/Paris' });
    const badZone = await rest('PUT', '/api/v1/users/me', { token, json: { timezone: 'Mars/Olympus' } });
    expect(badZone.status).toBe(400);
    expect(badZone.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'timezone' });

    expect((await rest('GET', `/api/v1/users/${tokens.user.id}`, { token })).status).toBe(200);
    const ownById = await rest('PUT', `/api/v1/users/${tokens.user.id}`, { token, json: { bio: 'Edited by id' } });
    expect(ownById.status).toBe(200);
    expect(ownById.body).toMatchObject({ id: tokens.user.id, bio: 'Edited by id', display_name: 'Renamed' });
    const stranger = await registerViaRest();
    expect((await rest('GET', `/api/v1/users/${stranger.tokens.user.id}`, { token })).status).toBe(404);
    expect((await rest('PUT', `/api/v1/users/${stranger.tokens.user.id}`, { token, json: { bio: 'x' } })).status).toBe(403);
    expect((await rest('GET', '/api/v1/users', { token })).status).toBe(403);
    expect((await rest('GET', '/api/v1/users/me')).status).toBe(401);

    expect((await rest('DELETE', `/api/v1/users/${tokens.user.id}`, { token })).status).toBe(204);
    expect((await rest('GET', '/api/v1/users/me', { token })).status).toBe(401);
  });

  it('creates, lists, reads, renames and deletes workspaces, hiding them from non-members', async () => {
    const owner = (await registerViaRest()).tokens.access_token;
    const outsider = (await registerViaRest()).tokens.access_token;
    const created = await rest('POST', '/api/v1/workspaces', { token: owner, json: { name: 'Rest space', description: 'via REST' } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'Rest space', description: 'via REST', my_role: 'OWNER', member_count: 1 });
    const id = String(created.body['id']);

    const list = await rest('GET', '/api/v1/workspaces?first=10', { token: owner });
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({ total_count: 1, page_info: { has_next_page: false }, nodes: [{ id, name: 'Rest space' }] });

    expect((await rest('GET', `/api/v1/workspaces/${id}`, { token: outsider })).status).toBe(404);
    expect((await rest('PUT', `/api/v1/workspaces/${id}`, { token: outsider, json: { name: 'Mine now' } })).status).toBe(404);
    const renamed = await rest('PUT', `/api/v1/workspaces/${id}`, { token: owner, json: { name: 'Renamed space' } });
    expect(renamed.body).toMatchObject({ id, name: 'Renamed space' });
    const empty = await rest('POST', '/api/v1/workspaces', { token: owner, json: { name: '  ' } });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'name' });

    expect((await rest('DELETE', `/api/v1/workspaces/${id}`, { token: owner })).status).toBe(204);
    expect((await rest('GET', `/api/v1/workspaces/${id}`, { token: owner })).status).toBe(404);
  });
});

describe('REST invitation routes', () => {
  it('invites by email (201 invitation) and joins with the token from the mail (200 workspace)', async () => {
    const owner = (await registerViaRest()).tokens.access_token;
    const created = await rest('POST', '/api/v1/workspaces', { token: owner, json: { name: 'Invited via REST' } });
    const workspaceId = String(created.body['id']);
    const email = uniqueEmail('rest-invitee');

    const invited = await rest('POST', `/api/v1/workspaces/${workspaceId}/invitations`, { token: owner, json: { email, role: 'EDITOR' } });
    expect(invited.status).toBe(201);
    expect(invited.body).toEqual({
      id: expect.any(String),
      email,
      role: 'EDITOR',
      status: 'PENDING',
      workspace_name: 'Invited via REST',
      invited_by_name: 'Rest User',
      created_at: expect.any(String),
      expires_at: expect.any(String),
    });
    const again = await rest('POST', `/api/v1/workspaces/${workspaceId}/invitations`, { token: owner, json: { email, role: 'VIEWER' } });
    expect(again.status).toBe(409);
    const asOwner = await rest('POST', `/api/v1/workspaces/${workspaceId}/invitations`, {
      token: owner,
      json: { email: uniqueEmail(), role: 'OWNER' },
    });
    expect(asOwner.status).toBe(400);
    expect(asOwner.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });
    const badRole = await rest('POST', `/api/v1/workspaces/${workspaceId}/invitations`, {
      token: owner,
      json: { email: uniqueEmail(), role: 'KING' },
    });
    expect(badRole.status).toBe(400);
    expect(badRole.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'role' });

    const mail = await graph.mail.waitForMail((received) => received.to.includes(email), 10_000);
    const token = linkFrom(mail, '/invitations/accept');
    if (!token) throw new Error('the invitation mail has no link');
    const { tokens } = await registerViaRest(email);
    expect((await rest('POST', '/api/v1/invitations/accept', { json: { token } })).status).toBe(401);
    const stranger = (await registerViaRest()).tokens.access_token;
    expect((await rest('POST', '/api/v1/invitations/accept', { token: stranger, json: { token } })).status).toBe(403);

    const joined = await rest('POST', '/api/v1/invitations/accept', { token: tokens.access_token, json: { token } });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ id: workspaceId, name: 'Invited via REST', my_role: 'EDITOR', member_count: 2 });
    const used = await rest('POST', '/api/v1/invitations/accept', { token: tokens.access_token, json: { token } });
    expect(used.status).toBe(404);
    expect(used.body.error?.code).toBe('NOT_FOUND');
  });
});

describe('REST input errors are 400 with a clear message, never 500', () => {
  const cases: Array<[string, { json?: unknown; raw?: string; contentType?: string }, string]> = [
    ['malformed JSON', { raw: '{"email": "a@b.c", ' }, '(body)'],
    ['a wrong content type', { raw: 'email=a@b.c&password=x', contentType: 'application/x-www-form-urlencoded' }, '(body)'],
    ['a missing field', { json: { email: 'someone@example.test' } }, 'password'],
    ['a mistyped field', { json: { email: 42, password: 'long enough password' } }, 'email'],
    ['a body that is not an object', { json: ['email'] }, '(body)'],
    ['no body at all', {}, '(body)'],
  ];
  it.each(cases)('%s', async (_label, request, field) => {
    const answer = await rest('POST', '/api/v1/auth/login', request);
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(answer.body.error?.message.length).toBeGreaterThan(5);
  });

  it('rejects a bad page size in a query string', async () => {
    const { tokens } = await registerViaRest();
    const answer = await rest('GET', '/api/v1/workspaces?first=1000', { token: tokens.access_token });
    expect(answer.status).toBe(400);
    expect(answer.body.error).toMatchObject({ code: 'BAD_USER_INPUT', field: 'first' });
  });

  it('answers an unknown route with 404 NOT_FOUND', async () => {
    const answer = await rest('GET', '/api/v1/nothing-here');
    expect(answer.status).toBe(404);
    expect(answer.body.error?.code).toBe('NOT_FOUND');
  });
});

describe('OpenAPI document', () => {
  interface OpenApi {
    openapi: string;
    servers: Array<{ url: string; description?: string }>;
    paths: Record<string, Record<string, { responses: Record<string, unknown>; operationId: string }>>;
  }

  it('describes exactly the routes the shim serves', async () => {
    const answer = await fetch(`${graph.routerUrl}/api/v1/openapi.json`);
    expect(answer.status).toBe(200);
    const document = (await answer.json()) as OpenApi;
    expect(document.openapi).toMatch(/^3\./);
    // Relative to the router serving it, so the docs page's "Try it out" calls that router (redocly: no-empty-servers).
    expect(document.servers).toEqual([{ url: '/', description: expect.any(String) }]);

    const documented = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.keys(methods).map((method) => `${method.toUpperCase()} ${path}`),
    );
    const served = ['GET /api/v1/health', ...REST_ROUTES.map((route) => `${route.method.toUpperCase()} ${openApiPath(route.path)}`)];
    expect(documented.map((entry) => entry.replace('GET /health', 'GET /api/v1/health')).sort()).toEqual(served.sort());

    // Every documented route answers (never 404 "No such route") — probed without credentials.
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const method of Object.keys(methods)) {
        const url = `${graph.routerUrl}${path.replace(/\{\w+\}/g, '00000000-0000-4000-8000-000000000000')}`;
        const probe = await fetch(url, {
          method: method.toUpperCase(),
          headers: { 'content-type': 'application/json' },
          body: method === 'get' || method === 'delete' ? undefined : '{}',
        });
        const body = (await probe.text()) || '{}';
        expect(`${method} ${path}: ${body}`).not.toContain('No such route');
      }
    }
  });
});
