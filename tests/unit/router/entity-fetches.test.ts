import { describe, expect, it } from '@jest/globals';
import { mergeEntityFetches, type SubgraphOperation } from '@pyairtable/router/entity-fetches';

const PROFILE_SELECTION = '{_entities(representations:$representations){...on User{email displayName}}}';
const entityFetch = (name: string, ids: string[], selection = PROFILE_SELECTION): SubgraphOperation => ({
  query: `query ${name}($representations:[_Any!]!)${selection}`,
  operationName: name,
  variables: { representations: ids.map((id) => ({ __typename: 'User', id })) },
});

describe('merging the entity fetches of one batch', () => {
  it('sends entity fetches of the same selection as one operation and gives each its slice of the answer', () => {
    const wire = mergeEntityFetches([entityFetch('Q__users__1', ['a']), entityFetch('Q__users__3', ['b', 'c'])]);
    expect(wire).toHaveLength(1);
    expect(wire[0]?.operation.variables).toEqual({
      representations: [
        { __typename: 'User', id: 'a' },
        { __typename: 'User', id: 'b' },
        { __typename: 'User', id: 'c' },
      ],
    });
    const answer = { data: { _entities: [{ email: 'a@x' }, { email: 'b@x' }, { email: 'c@x' }] } };
    expect(wire[0]?.split(answer)).toEqual([
      { index: 0, result: { data: { _entities: [{ email: 'a@x' }] } } },
      { index: 1, result: { data: { _entities: [{ email: 'b@x' }, { email: 'c@x' }] } } },
    ]);
  });

  it('hands an error about one entity to the fetch that asked for it, at its own position; an error without a path to each', () => {
    const [wire] = mergeEntityFetches([entityFetch('Q__users__1', ['a', 'b']), entityFetch('Q__users__3', ['c'])]);
    const entityError = { message: 'not yours', path: ['_entities', 2, 'email'], extensions: { code: 'FORBIDDEN' } };
    const general = { message: 'slow down', extensions: { code: 'RATE_LIMITED' } };
    const split = wire?.split({ data: { _entities: [{ email: 'a@x' }, { email: 'b@x' }, null] }, errors: [entityError, general] });
    expect(split).toEqual([
      { index: 0, result: { data: { _entities: [{ email: 'a@x' }, { email: 'b@x' }] }, errors: [general] } },
      { index: 1, result: { data: { _entities: [null] }, errors: [{ ...entityError, path: ['_entities', 0, 'email'] }, general] } },
    ]);
  });

  it('leaves other operations as they are: another selection, another variable, a mutation, an extension', () => {
    const operations: SubgraphOperation[] = [
      entityFetch('Q__users__1', ['a']),
      entityFetch('Q__users__2', ['b'], '{_entities(representations:$representations){...on User{displayName}}}'),
      { query: 'query Q__users__0{me{id}}', operationName: 'Q__users__0' },
      { query: 'mutation M($representations:[_Any!]!){_entities(representations:$representations){__typename}}', variables: { representations: [] } },
      { ...entityFetch('Q__users__4', ['c']), extensions: { persistedQuery: { version: 1 } } },
    ];
    const wire = mergeEntityFetches(operations);
    expect(wire.map(({ operation }) => operation.operationName ?? null)).toEqual(['Q__users__1', 'Q__users__2', 'Q__users__0', null, 'Q__users__4']);
    expect(wire.map(({ split }, position) => split({ data: { position } }).map(({ index }) => index))).toEqual([[0], [1], [2], [3], [4]]);
  });

  it('gives every merged fetch the whole answer when it is not an object (the caller reports it)', () => {
    const [wire] = mergeEntityFetches([entityFetch('A', ['a']), entityFetch('B', ['b'])]);
    expect(wire?.split('Bad Gateway')).toEqual([
      { index: 0, result: 'Bad Gateway' },
      { index: 1, result: 'Bad Gateway' },
    ]);
  });
});
