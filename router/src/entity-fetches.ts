/**
 * Merging the entity fetches of one batch: a plan that fetches the same fields of the same subgraph twice at one
 * level (a workspace's `owner` and its `members.user`, say) asks `_entities` twice with the same selection. Such
 * fetches become one operation whose representations are theirs end to end, and the answer is split back by
 * position — one pass through the subgraph's request pipeline instead of two, as GraphQL Hive Gateway plans it.
 */

/** The operations the query planner writes for entity fetches: `_entities` is the only root field, `$representations` the only variable. */
const ENTITY_FETCH =
  /^query(?:\s+\w+)?\s*\(\s*\$representations\s*:\s*\[\s*_Any\s*!\s*\]\s*!\s*\)\s*(\{\s*_entities\s*\(\s*representations\s*:\s*\$representations\s*\).*\})\s*$/s;

export interface SubgraphOperation {
  query: string;
  variables?: Record<string, unknown> | null;
  operationName?: string | null;
  extensions?: Record<string, unknown> | null;
}

interface GraphQLError {
  path?: ReadonlyArray<string | number>;
  [key: string]: unknown;
}

interface OperationResult {
  data?: Record<string, unknown> | null;
  errors?: GraphQLError[];
  [key: string]: unknown;
}

/** One operation to send, and how to hand its result to the operations it stands for (by their index). */
export interface WireOperation {
  operation: SubgraphOperation;
  split: (result: unknown) => Array<{ index: number; result: unknown }>;
}

/** An entity fetch's selection and representations, when `operation` is one (without extensions, which merging would drop). */
function asEntityFetch(operation: SubgraphOperation): { selection: string; representations: unknown[] } | undefined {
  const representations = operation.variables?.['representations'];
  if (!Array.isArray(representations) || Object.keys(operation.variables ?? {}).length !== 1 || operation.extensions) return undefined;
  const selection = ENTITY_FETCH.exec(operation.query)?.[1];
  return selection === undefined ? undefined : { selection, representations };
}

function isResult(value: unknown): value is OperationResult {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Splits the answer of merged entity fetches: each its slice of `_entities`, and the errors about that slice. */
function splitEntities(members: Array<{ index: number; count: number }>, answer: unknown): Array<{ index: number; result: unknown }> {
  if (!isResult(answer)) return members.map(({ index }) => ({ index, result: answer }));
  const entities = answer.data?.['_entities'];
  let offset = 0;
  return members.map(({ index, count }) => {
    const from = offset;
    offset += count;
    const errors = (answer.errors ?? []).flatMap((error) => {
      const [root, position, ...rest] = error.path ?? [];
      if (root !== '_entities' || typeof position !== 'number') return [error];
      return position >= from && position < from + count ? [{ ...error, path: [root, position - from, ...rest] }] : [];
    });
    const { data: _data, errors: _errors, ...rest } = answer;
    return {
      index,
      result: {
        ...rest,
        data: Array.isArray(entities) ? { _entities: entities.slice(from, from + count) } : (answer.data ?? null),
        ...(errors.length > 0 ? { errors } : {}),
      },
    };
  });
}

/**
 * The operations to send for `operations`, in order: entity fetches with the same selection merged into one (at the
 * place of the first), every other operation as it is.
 */
export function mergeEntityFetches(operations: readonly SubgraphOperation[]): WireOperation[] {
  const fetches = operations.map(asEntityFetch);
  const bySelection = new Map<string, Array<{ index: number; representations: unknown[] }>>();
  fetches.forEach((fetch, index) => {
    if (!fetch) return;
    const group = bySelection.get(fetch.selection) ?? [];
    group.push({ index, representations: fetch.representations });
    bySelection.set(fetch.selection, group);
  });
  return operations.flatMap((operation, index): WireOperation[] => {
    const fetch = fetches[index];
    const group = fetch && bySelection.get(fetch.selection);
    if (!group || group.length === 1) return [{ operation, split: (result) => [{ index, result }] }];
    if (group[0]?.index !== index) return [];
    const members = group.map(({ index: member, representations }) => ({ index: member, count: representations.length }));
    return [
      {
        operation: {
          query: operation.query,
          operationName: operation.operationName ?? null,
          variables: { representations: group.flatMap(({ representations }) => representations) },
        },
        split: (result) => splitEntities(members, result),
      },
    ];
  });
}
