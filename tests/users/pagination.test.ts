import { beforeAll, describe, expect, it } from '@jest/globals';
import { useGraph } from '../support/use-graph.js';
import { uniqueEmail } from '../support/client.js';
import { eventually } from '../support/eventually.js';
import { USERS, as, expectError, signUp, dataOf, type Account } from './helpers.js';

interface UserPage {
  nodes: Array<{ id: string; email: string; displayName: string }>;
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: number;
}

const adminEmail = uniqueEmail('pages-admin');
const graph = useGraph({ ADMIN_EMAILS: adminEmail });
let admin: Account;
/** Five accounts whose display names share a tag, so a search sees exactly them, newest first. */
const tag = `page${Date.now().toString(36)}`;
let newestFirst: string[];

beforeAll(async () => {
  admin = await signUp(graph.routerUrl, { email: adminEmail });
  const created: string[] = [];
  for (let index = 0; index < 5; index += 1) created.push((await signUp(graph.routerUrl, { displayName: `${tag} ${index}` })).id);
  newestFirst = created.reverse();
  // Profiles are built from account events: wait until all five have arrived, rather than racing the consumer.
  await eventually(
    () => page({}),
    (all) => all.totalCount === 5,
  );
});

async function page(variables: Record<string, unknown>): Promise<UserPage> {
  return dataOf(await as<{ users: UserPage }>(graph.routerUrl, admin, USERS, { search: tag, ...variables })).users;
}

describe('users pagination', () => {
  it('answers an empty connection when nothing matches', async () => {
    expect(await page({ search: `${tag}-nobody` })).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: 0 });
  });

  it('walks every user once, newest first, and stops on the last page', async () => {
    const first = await page({ first: 2 });
    expect(first.nodes.map((node) => node.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.pageInfo.hasNextPage).toBe(true);
    expect(first.totalCount).toBe(5);
    const second = await page({ first: 2, after: first.pageInfo.endCursor });
    expect(second.nodes.map((node) => node.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.pageInfo.hasNextPage).toBe(true);
    const last = await page({ first: 2, after: second.pageInfo.endCursor });
    expect(last.nodes.map((node) => node.id)).toEqual(newestFirst.slice(4));
    expect(last.pageInfo.hasNextPage).toBe(false);
    expect(last.totalCount).toBe(5);
  });

  it('has no next page when the page is exactly full', async () => {
    const exact = await page({ first: 5 });
    expect(exact.nodes.map((node) => node.id)).toEqual(newestFirst);
    expect(exact.pageInfo.hasNextPage).toBe(false);
    const after = await page({ first: 5, after: exact.pageInfo.endCursor });
    expect(after).toEqual({ nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: 5 });
  });

  it('defaults to 20 per page', async () => {
    expect((await page({})).nodes).toHaveLength(5);
  });

  it.each([0, -1, 101])('refuses first = %d with BAD_USER_INPUT on first', async (first) => {
    expectError(await as(graph.routerUrl, admin, USERS, { first }), 'BAD_USER_INPUT', 'first');
  });

  it.each([
    ['not base64 JSON', 'definitely-not-a-cursor'],
    ['a cursor of the wrong shape', Buffer.from(JSON.stringify({ id: 1 })).toString('base64url')],
    ['a cursor with a bad date', Buffer.from(JSON.stringify(['yesterday', '00000000-0000-4000-8000-000000000000'])).toString('base64url')],
    ['a cursor whose id is not a user id', Buffer.from(JSON.stringify([new Date().toISOString(), "'; DROP TABLE"])).toString('base64url')],
  ])('refuses %s with BAD_USER_INPUT on after', async (_label, after) => {
    expectError(await as(graph.routerUrl, admin, USERS, { after }), 'BAD_USER_INPUT', 'after');
  });
});
