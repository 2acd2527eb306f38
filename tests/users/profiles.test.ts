import { beforeAll, describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { eventually } from '../support/eventually.js';
import { graphql, uniqueEmail } from '../support/client.js';
import {
  ME,
  PROFILE_FIELDS,
  UPDATE_ME,
  UPDATE_USER,
  USER,
  USERS,
  as,
  expectError,
  signUp,
  dataOf,
  type Account,
  type ProfileData,
} from './helpers.js';

const adminEmail = uniqueEmail('profiles-admin');
const graph = useGraph({ ADMIN_EMAILS: adminEmail });
let admin: Account;
beforeAll(async () => {
  admin = await signUp(graph.url, { email: adminEmail });
});

async function me(caller: Account): Promise<ProfileData> {
  return dataOf(await as<{ me: ProfileData }>(graph.url, caller, ME)).me;
}

describe('the profile of a new account', () => {
  it('shows the display name given at registration right away (read your writes, no waiting)', async () => {
    const caller = await signUp(graph.url, { displayName: '  Ada Lovelace  ' });
    expect(await me(caller)).toEqual({
      id: caller.id,
      displayName: 'Ada Lovelace',
      avatarUrl: null,
      bio: null,
      timezone: null,
      updatedAt: expect.any(String),
    });
  });

  it('is readable from the register answer itself', async () => {
    const response = await graphql<{ register: { user: { id: string; email: string; displayName: string } } }>(
      graph.url,
      'mutation ($input: RegisterInput!) { register(input: $input) { user { id email displayName } } }',
      { input: { email: uniqueEmail('inline'), password: 'correct horse battery', displayName: 'Grace Hopper' } },
    );
    expect(dataOf(response).register.user.displayName).toBe('Grace Hopper');
  });

  it("defaults the display name to the email's local part", async () => {
    const email = uniqueEmail('Defaulted.Name');
    const caller = await signUp(graph.url, { email });
    expect((await me(caller)).displayName).toBe(email.toLowerCase().slice(0, email.indexOf('@')));
    const blank = await signUp(graph.url, { displayName: '   ' });
    expect((await me(blank)).displayName).toBe(blank.email.slice(0, blank.email.indexOf('@')));
  });

  it('joins the auth fields of User with the profile fields in one answer', async () => {
    const caller = await signUp(graph.url, { displayName: 'Joined' });
    const response = await as<{ me: Record<string, unknown> }>(graph.url, caller, 'query { me { id email role createdAt displayName } }');
    expect(dataOf(response).me).toEqual({
      id: caller.id,
      email: caller.email,
      role: 'USER',
      createdAt: expect.any(String),
      displayName: 'Joined',
    });
  });
});

describe('me, user and users: who may read what', () => {
  it('answers me without a token with UNAUTHENTICATED', async () => {
    expectError(await as(graph.url, null, ME), 'UNAUTHENTICATED');
  });

  it('lets a user read themself by id but nobody else (null, as for an unknown id)', async () => {
    const [reader, other] = await Promise.all([signUp(graph.url, { displayName: 'Reader' }), signUp(graph.url)]);
    expect(dataOf(await as<{ user: ProfileData | null }>(graph.url, reader, USER, { id: reader.id })).user?.displayName).toBe('Reader');
    expect(dataOf(await as(graph.url, reader, USER, { id: other.id }))).toEqual({ user: null });
    expect(dataOf(await as(graph.url, null, USER, { id: reader.id }))).toEqual({ user: null });
  });

  it('lets an ADMIN read anyone; unknown and malformed ids are null', async () => {
    const other = await signUp(graph.url, { displayName: 'Somebody' });
    expect(dataOf(await as<{ user: ProfileData | null }>(graph.url, admin, USER, { id: other.id })).user?.displayName).toBe('Somebody');
    expect(dataOf(await as(graph.url, admin, USER, { id: '00000000-0000-4000-8000-000000000000' }))).toEqual({ user: null });
    expect(dataOf(await as(graph.url, admin, USER, { id: 'not-a-uuid' }))).toEqual({ user: null });
  });

  it('lists users for an ADMIN only', async () => {
    const tag = `list${Date.now().toString(36)}`;
    const [caller, other] = await Promise.all([signUp(graph.url, { displayName: `${tag} one` }), signUp(graph.url, { displayName: `${tag} two` })]);
    expectError(await as(graph.url, caller, USERS, {}), 'FORBIDDEN');
    expectError(await as(graph.url, null, USERS, {}), 'UNAUTHENTICATED');
    // Narrowed to this test's accounts: the whole list also holds other files' accounts, and one deleted a moment ago
    // is gone from auth before its deletion event reaches the directory (its email then voids the list: "A known gap" in the README).
    const listed = await eventually(
      () => as<{ users: { totalCount: number; nodes: Array<{ id: string }> } }>(graph.url, admin, USERS, { search: tag }),
      (answer) => (answer.body.data?.users.nodes.length ?? 0) >= 2,
    );
    const { users } = dataOf(listed);
    expect(users.totalCount).toBe(2);
    expect(users.nodes.map((node) => node.id).sort()).toEqual([caller.id, other.id].sort());
  });

  it('searches email and display name, case-insensitively, as a substring', async () => {
    const tag = `srch${Date.now().toString(36)}`;
    const byName = await signUp(graph.url, { displayName: `Ms ${tag.toUpperCase()} Smith` });
    const byEmail = await signUp(graph.url, { email: uniqueEmail(`x${tag}y`) });
    await signUp(graph.url, { displayName: 'Unrelated' });
    const search = async (term: string) =>
      dataOf(await as<{ users: { totalCount: number; nodes: Array<{ id: string }> } }>(graph.url, admin, USERS, { search: term })).users;
    // Profiles are built from account events: wait until both have arrived, rather than racing the consumer. The wait
    // reads nodes, not totalCount: the count is a statement of its own, after the page's, and may already see a profile
    // that arrived in between.
    const found = await eventually(
      () => search(tag),
      (result) => result.nodes.length >= 2,
    );
    expect(found.totalCount).toBe(2);
    expect(found.nodes.map((node) => node.id)).toEqual([byEmail.id, byName.id]);
    expect((await search(`  ${tag.toUpperCase()} SMITH `)).nodes.map((node) => node.id)).toEqual([byName.id]);
    expect((await search(`${tag}%`)).totalCount).toBe(0);
    expect((await search(`${tag.slice(0, 3)}_${tag.slice(4)}`)).totalCount).toBe(0);
    const literal = await signUp(graph.url, { displayName: `100%_${tag}\\` });
    const literalFound = await eventually(
      () => search(`0%_${tag}\\`),
      (result) => result.nodes.length >= 1,
    );
    expect(literalFound.nodes.map((node) => node.id)).toEqual([literal.id]);
  });
});

describe('updateMe and updateUser', () => {
  it('changes the given fields, keeps the others, and clears with null', async () => {
    const caller = await signUp(graph.url, { displayName: 'Before' });
    const before = await me(caller);
    const updated = dataOf(
      await as<{ updateMe: ProfileData }>(graph.url, caller, UPDATE_ME, {
        input: { displayName: '  After ', avatarUrl: 'https://cdn.example.test/a.png', bio: ' Hello ', timezone: 'europe/paris' },
      }),
    ).updateMe;
    expect(updated).toEqual({
      id: caller.id,
      displayName: 'After',
      avatarUrl: 'https://cdn.example.test/a.png',
      bio: 'Hello',
      timezone: 'Europe/Paris',
      updatedAt: expect.any(String),
    });
    expect(new Date(updated.updatedAt).getTime()).toBeGreaterThanOrEqual(new Date(before.updatedAt).getTime());

    const cleared = dataOf(
      await as<{ updateMe: ProfileData }>(graph.url, caller, UPDATE_ME, { input: { avatarUrl: null, bio: null, timezone: null } }),
    ).updateMe;
    expect(cleared).toMatchObject({ displayName: 'After', avatarUrl: null, bio: null, timezone: null });
    expect(await me(caller)).toEqual(cleared);
  });

  it('changes nothing for an empty input', async () => {
    const caller = await signUp(graph.url, { displayName: 'Steady' });
    const before = await me(caller);
    expect(dataOf(await as<{ updateMe: ProfileData }>(graph.url, caller, UPDATE_ME, { input: {} })).updateMe).toMatchObject({
      ...before,
      updatedAt: expect.any(String),
    });
  });

  it('accepts the limits themselves', async () => {
    const caller = await signUp(graph.url);
    const input = { displayName: 'n'.repeat(100), bio: 'b'.repeat(1000), avatarUrl: `http://x.test/${'a'.repeat(2048 - 14)}`, timezone: 'UTC' };
    expect(dataOf(await as<{ updateMe: ProfileData }>(graph.url, caller, UPDATE_ME, { input })).updateMe).toMatchObject(input);
  });

  it.each([
    ['displayName', null],
    ['displayName', ''],
    ['displayName', '   '],
    ['displayName', 'n'.repeat(101)],
    ['avatarUrl', 'not a url'],
    ['avatarUrl', '/relative/path.png'],
    ['avatarUrl', 'ftp://files.example.test/a.png'],
    ['avatarUrl', 'javascript:alert(1)'],
    ['avatarUrl', `https://x.test/${'a'.repeat(2048)}`],
    ['bio', 'b'.repeat(1001)],
    ['timezone', 'Mars/Olympus_Mons'],
    ['timezone', '+01:00'],
    ['timezone', ''],
  ])('refuses %s = %j with BAD_USER_INPUT naming the field, and changes nothing', async (field, value) => {
    const caller = await signUp(graph.url, { displayName: 'Unchanged' });
    const response = await as(graph.url, caller, UPDATE_ME, { input: { bio: 'would be set', [field]: value } });
    expectError(response, 'BAD_USER_INPUT', field);
    expect(await me(caller)).toMatchObject({ displayName: 'Unchanged', bio: null });
  });

  it('refuses updateMe without a token', async () => {
    expectError(await as(graph.url, null, UPDATE_ME, { input: { bio: 'x' } }), 'UNAUTHENTICATED');
  });

  it("lets only an ADMIN update another user's profile; NOT_FOUND for an unknown id", async () => {
    const [caller, target] = await Promise.all([signUp(graph.url), signUp(graph.url, { displayName: 'Target' })]);
    expectError(await as(graph.url, caller, UPDATE_USER, { id: target.id, input: { displayName: 'Hacked' } }), 'FORBIDDEN');
    expectError(await as(graph.url, caller, UPDATE_USER, { id: caller.id, input: { displayName: 'Self' } }), 'FORBIDDEN');
    const updated = dataOf(
      await as<{ updateUser: ProfileData }>(graph.url, admin, UPDATE_USER, { id: target.id, input: { displayName: 'Renamed', bio: 'By admin' } }),
    ).updateUser;
    expect(updated).toMatchObject({ id: target.id, displayName: 'Renamed', bio: 'By admin' });
    expect(await me(target)).toMatchObject({ displayName: 'Renamed', bio: 'By admin' });
    expectError(await as(graph.url, admin, UPDATE_USER, { id: '00000000-0000-4000-8000-000000000000', input: { bio: 'x' } }), 'NOT_FOUND');
    expectError(await as(graph.url, admin, UPDATE_USER, { id: 'nope', input: { bio: 'x' } }), 'NOT_FOUND');
    expectError(await as(graph.url, admin, UPDATE_USER, { id: target.id, input: { timezone: 'Nowhere/Else' } }), 'BAD_USER_INPUT', 'timezone');
  });

  it('returns the fields it changed to the caller through the router', async () => {
    const caller = await signUp(graph.url);
    const response = await as<{ updateMe: Record<string, unknown> }>(
      graph.url,
      caller,
      `mutation { updateMe(input: { displayName: "Via Router" }) { ${PROFILE_FIELDS} email role } }`,
    );
    expect(dataOf(response).updateMe).toMatchObject({ displayName: 'Via Router', email: caller.email, role: 'USER' });
  });
});
