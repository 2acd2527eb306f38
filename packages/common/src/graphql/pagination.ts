import { badInput } from '../errors/registry.js';

/**
 * Cursor pagination shared by every connection: newest first, ties broken by id, cursors opaque
 * (base64url of the last row's position), `first` bounded.
 */
export const MAX_PAGE_SIZE = 100;

export interface PagePosition {
  createdAt: Date;
  id: string;
}

export interface PageRequest {
  first: number;
  after: PagePosition | null;
}

/**
 * A page of a connection. `totalCount` is counted only when a query asks for it (each connection type's totalCount
 * resolver calls it): most queries read nodes alone, and a COUNT is a statement of its own.
 */
export interface Connection<T> {
  nodes: T[];
  pageInfo: { endCursor: string | null; hasNextPage: boolean };
  totalCount: () => Promise<number>;
}

/** The resolver of every connection type's totalCount field. */
export function connectionTotalCount<T>(connection: Connection<T>): Promise<number> {
  return connection.totalCount();
}

/** A connection with no nodes, say for a caller who may not see them. */
export function emptyConnection<T>(): Connection<T> {
  return { nodes: [], pageInfo: { endCursor: null, hasNextPage: false }, totalCount: () => Promise.resolve(0) };
}

export function encodeCursor({ createdAt, id }: PagePosition): string {
  return Buffer.from(JSON.stringify([createdAt.toISOString(), id])).toString('base64url');
}

export function decodeCursor(cursor: string, field = 'after'): PagePosition {
  try {
    const decoded: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(decoded) && decoded.length === 2 && typeof decoded[0] === 'string' && typeof decoded[1] === 'string') {
      const createdAt = new Date(decoded[0]);
      if (!Number.isNaN(createdAt.getTime())) return { createdAt, id: decoded[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw badInput(field, 'Cursor is not valid; use a pageInfo.endCursor from a previous page');
}

export function pageRequest(args: { first?: number | null; after?: string | null }, defaultSize = 20): PageRequest {
  const first = args.first ?? defaultSize;
  if (!Number.isInteger(first) || first < 1 || first > MAX_PAGE_SIZE) {
    throw badInput('first', `first must be between 1 and ${MAX_PAGE_SIZE}`);
  }
  return { first, after: args.after ? decodeCursor(args.after) : null };
}

/**
 * The Prisma `where` for rows after a cursor in (createdAt desc, id desc) order: older, or equally old
 * with a smaller id.
 */
export function afterPosition(after: PagePosition | null, createdAtField = 'createdAt') {
  if (!after) return {};
  return {
    OR: [{ [createdAtField]: { lt: after.createdAt } }, { [createdAtField]: after.createdAt, id: { lt: after.id } }],
  };
}

/**
 * Builds a connection from up to `first + 1` rows fetched in page order (the extra row says more exist);
 * `countAll` runs at most once, when the query asks for totalCount.
 */
export function toConnection<Row, Node = Row>(
  rows: Row[],
  request: PageRequest,
  countAll: () => Promise<number>,
  position: (row: Row) => PagePosition,
  toNode: (row: Row) => Node = (row) => row as unknown as Node,
): Connection<Node> {
  const page = rows.slice(0, request.first);
  const last = page.at(-1);
  return {
    nodes: page.map(toNode),
    pageInfo: { endCursor: last ? encodeCursor(position(last)) : null, hasNextPage: rows.length > request.first },
    totalCount: once(countAll),
  };
}

function once<T>(compute: () => Promise<T>): () => Promise<T> {
  let result: Promise<T> | undefined;
  return () => (result ??= compute());
}
