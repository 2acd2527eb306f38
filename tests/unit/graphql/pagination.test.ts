/** Cursor pagination (pagination.ts, ids.ts): opaque cursors that round-trip, refusals that name the argument. */
import { describe, expect, it } from '@jest/globals';
import {
  MAX_PAGE_SIZE,
  afterPosition,
  decodeCursor,
  encodeCursor,
  isUuid,
  pageRequest,
  toConnection,
  uuidPageRequest,
  type PagePosition,
} from '@pyairtable/common/graphql';

/** What a refusal carries to the client: its extensions (code, field) and message. */
function refusalOf(run: () => unknown): { extensions: Record<string, unknown>; message: string } {
  try {
    run();
  } catch (error) {
    const { extensions, message } = error as { extensions?: Record<string, unknown>; message: string };
    return { extensions: { ...extensions }, message };
  }
  throw new Error('expected a refusal, but it was accepted');
}

const base64url = (text: string) => Buffer.from(text).toString('base64url');
const UUID = '0b9a6f4e-3c1d-4e2f-8a7b-5c6d7e8f9a0b';
const position: PagePosition = { createdAt: new Date('2026-03-04T05:06:07.089Z'), id: UUID };

describe('cursors', () => {
  it.each<PagePosition>([
    position,
    { createdAt: new Date(0), id: 'x' },
    { createdAt: new Date('1999-12-31T23:59:59.999Z'), id: 'an id with "quotes", commas, ] and ünïcödé ✓' },
  ])('decode what encode made: %j', (original) => {
    const cursor = encodeCursor(original);
    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodeCursor(cursor)).toEqual(original);
  });

  it.each([
    ['not base64 at all', '!!!!'],
    ['base64 of text that is not JSON', base64url('hello')],
    ['JSON that is not a pair', base64url('{"createdAt":"2026-01-01T00:00:00.000Z","id":"x"}')],
    ['a pair of the wrong types', base64url('[1700000000000,"x"]')],
    ['a pair with an id that is not a string', base64url('["2026-01-01T00:00:00.000Z",7]')],
    ['a date that is not one', base64url('["the day after tomorrow","x"]')],
    ['too short', base64url('["2026-01-01T00:00:00.000Z"]')],
    ['too long', base64url('["2026-01-01T00:00:00.000Z","x","y"]')],
    ['null', base64url('null')],
    ['a truncated cursor', encodeCursor(position).slice(0, 10)],
  ])('refuses %s with BAD_USER_INPUT on the argument', (_, cursor) => {
    expect(refusalOf(() => decodeCursor(cursor))).toEqual({
      extensions: { code: 'BAD_USER_INPUT', field: 'after' },
      message: 'Cursor is not valid; use a pageInfo.endCursor from a previous page',
    });
    expect(refusalOf(() => decodeCursor(cursor, 'before')).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'before' });
  });
});

describe('page requests', () => {
  it('takes 20 by default, or the default it is given, and decodes the cursor', () => {
    expect(pageRequest({})).toEqual({ first: 20, after: null });
    expect(pageRequest({ first: null, after: null }, 50)).toEqual({ first: 50, after: null });
    expect(pageRequest({ first: 3, after: encodeCursor(position) })).toEqual({ first: 3, after: position });
  });

  it.each([1, 2, MAX_PAGE_SIZE])('accepts first: %d', (first) => {
    expect(pageRequest({ first }).first).toBe(first);
  });

  it.each([0, -1, MAX_PAGE_SIZE + 1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses first: %d, naming first', (first) => {
    expect(refusalOf(() => pageRequest({ first }))).toEqual({
      extensions: { code: 'BAD_USER_INPUT', field: 'first' },
      message: `first must be between 1 and ${MAX_PAGE_SIZE}`,
    });
  });

  it('bounds pages at 100, as the contract says', () => {
    expect(MAX_PAGE_SIZE).toBe(100);
  });

  it('refuses a bad cursor as the after argument', () => {
    expect(refusalOf(() => pageRequest({ first: 5, after: 'garbage' })).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });
});

describe('connections over UUID rows', () => {
  it('tells UUIDs from anything else', () => {
    expect(isUuid(UUID)).toBe(true);
    expect(isUuid(UUID.toUpperCase())).toBe(true);
    for (const other of ['', 'x', `${UUID}0`, UUID.replaceAll('-', ''), `${UUID}' OR '1'='1`, ` ${UUID}`]) expect(isUuid(other)).toBe(false);
  });

  it('accepts a cursor of ours, and refuses a well-formed forged one whose id is not a UUID before it reaches a uuid column', () => {
    expect(uuidPageRequest({ first: 2, after: encodeCursor(position) }).after).toEqual(position);
    const forged = encodeCursor({ createdAt: new Date(), id: "' OR 1=1 --" });
    expect(refusalOf(() => uuidPageRequest({ after: forged })).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    expect(refusalOf(() => uuidPageRequest({ first: 0 })).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
  });
});

describe('building a page', () => {
  const rows = [3, 2, 1].map((day) => ({ id: `row-${day}`, createdAt: new Date(Date.UTC(2026, 0, day)) }));

  const countOf = (total: number) => () => Promise.resolve(total);

  it('says there is more when it got the extra row, and its end cursor leads on from the last row it keeps', async () => {
    const connection = toConnection(
      rows,
      { first: 2, after: null },
      countOf(10),
      (row) => row,
      (row) => row.id,
    );
    expect(connection.nodes).toEqual(['row-3', 'row-2']);
    expect(connection.pageInfo.hasNextPage).toBe(true);
    expect(await connection.totalCount()).toBe(10);
    expect(decodeCursor(connection.pageInfo.endCursor ?? '')).toEqual(rows[1]);
  });

  it('counts only when totalCount is asked for, and once however often it is', async () => {
    let counted = 0;
    const connection = toConnection(
      rows,
      { first: 2, after: null },
      () => Promise.resolve((counted += 1) * 7),
      (row) => row,
    );
    expect(counted).toBe(0);
    expect(await Promise.all([connection.totalCount(), connection.totalCount()])).toEqual([7, 7]);
    expect(counted).toBe(1);
  });

  it('is the last page when no extra row came, and an empty page has no end cursor', async () => {
    expect(toConnection(rows, { first: 3, after: null }, countOf(3), (row) => row).pageInfo.hasNextPage).toBe(false);
    const empty = toConnection([], { first: 3, after: null }, countOf(0), (row: PagePosition) => row);
    expect({ nodes: empty.nodes, pageInfo: empty.pageInfo, totalCount: await empty.totalCount() }).toEqual({
      nodes: [],
      pageInfo: { endCursor: null, hasNextPage: false },
      totalCount: 0,
    });
  });

  it('continues after a cursor with rows older than it, or as old with a smaller id', () => {
    expect(afterPosition(null)).toEqual({});
    expect(afterPosition(position, 'joinedAt')).toEqual({
      OR: [{ joinedAt: { lt: position.createdAt } }, { joinedAt: position.createdAt, id: { lt: position.id } }],
    });
  });
});
