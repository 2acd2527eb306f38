import { badInput, pageRequest, type PageRequest } from '@pyairtable/common';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Every id this subgraph stores is a UUID; anything else names nothing that exists. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}

export interface PageArguments {
  first?: number | null;
  after?: string | null;
}

/** The shared page rules, plus: a cursor of this subgraph always holds a UUID, or it is not one of ours. */
export function pageOf(args: PageArguments, defaultSize: number): PageRequest {
  const page = pageRequest(args, defaultSize);
  if (page.after && !isUuid(page.after.id)) {
    throw badInput('after', 'Cursor is not valid; use a pageInfo.endCursor from a previous page');
  }
  return page;
}
