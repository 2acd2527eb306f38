import { badInput } from '../errors/registry.js';
import { pageRequest, type PageRequest } from './pagination.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids the subgraphs store are UUIDs; anything else names nothing that exists (and must not reach a uuid column). */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

/** The arguments every connection field takes. */
export interface PageArguments {
  first?: number | null;
  after?: string | null;
}

/** pageRequest for a connection whose rows have UUID ids: a cursor holding anything else is not one of ours. */
export function uuidPageRequest(args: PageArguments, defaultSize = 20): PageRequest {
  const page = pageRequest(args, defaultSize);
  if (page.after && !isUuid(page.after.id)) throw badInput('after', 'Cursor is not valid; use a pageInfo.endCursor from a previous page');
  return page;
}
