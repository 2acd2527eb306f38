import type { Redis } from 'ioredis';
import pg from 'pg';
import { runDatabaseUrl, runRedisPrefix } from '../support/environment.js';

export { as, dataOf, expectError, signUp, type Account } from '../support/client.js';

export const PROFILE_FIELDS = 'id displayName avatarUrl bio timezone updatedAt';

export interface ProfileData {
  id: string;
  displayName: string;
  avatarUrl: string | null;
  bio: string | null;
  timezone: string | null;
  updatedAt: string;
}

export const ME = `query Me { me { ${PROFILE_FIELDS} } }`;
export const USER = `query User($id: ID!) { user(id: $id) { ${PROFILE_FIELDS} } }`;
export const UPDATE_ME = `mutation UpdateMe($input: UpdateProfileInput!) { updateMe(input: $input) { ${PROFILE_FIELDS} } }`;
export const UPDATE_USER = `mutation UpdateUser($id: ID!, $input: UpdateProfileInput!) { updateUser(id: $id, input: $input) { ${PROFILE_FIELDS} } }`;
export const USERS = `query Users($first: Int, $after: String, $search: String) {
  users(first: $first, after: $after, search: $search) { nodes { id email displayName } pageInfo { endCursor hasNextPage } totalCount }
}`;
export const DELETE_USER = 'mutation DeleteUser($id: ID!) { deleteUser(id: $id) }';

/** Reads the run's database directly, to check what the subgraphs stored. */
export async function queryDatabase<Row extends Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<Row[]> {
  const client = new pg.Client({ connectionString: runDatabaseUrl() });
  await client.connect();
  try {
    return (await client.query<Row>(sql, params)).rows;
  } finally {
    await client.end();
  }
}

/** Entries of the event stream the users group has not acknowledged yet: pending, or not delivered. */
export async function usersGroupBacklog(redis: Redis): Promise<number> {
  const groups = (await redis.call('XINFO', ['GROUPS', `${runRedisPrefix()}events:users`])) as unknown[][];
  const users = groups.find((group) => group[group.indexOf('name') + 1] === 'users') ?? [];
  return Number(users[users.indexOf('pending') + 1]) + Number(users[users.indexOf('lag') + 1]);
}
