/**
 * Property-based fuzzing of every query and mutation of the graph (fast-check): arguments with any code point, huge
 * and negative numbers, wrong types, forged cursors and ids, as an anonymous client and as a signed-in one. Every
 * answer must be a 2xx or 4xx whose errors each carry a code of the registry, and the graph must stay healthy.
 * Bounded and seeded, so a run is repeatable: FUZZ_SEED and FUZZ_RUNS replay or widen it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLObjectType,
} from 'graphql';
import { ERROR_CODES } from '@pyairtable/common/errors';
import { apiSchemaOfSupergraph } from '@pyairtable/schema-tools';
import { useGraph } from '../support/use-graph.js';
import { aboutResponse, graphql, register, type GraphQLResponse } from '../support/client.js';

const graph = useGraph({ NODE_ENV: 'production', RATE_LIMIT_PER_MINUTE: '100000' });

const SEED = Number(process.env['FUZZ_SEED'] ?? 20261130);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);

const schema = apiSchemaOfSupergraph(readFileSync(new URL('../../supergraph.graphql', import.meta.url), 'utf8'));

/** Strings a client could send: any code point (lone surrogates, NUL, bidi overrides), and long ones. */
const anyText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.constantFrom('', ' ', '\u0000', '\u202e', '\u200b', 'a'.repeat(5_000), "'; DROP TABLE users; --", '%00', '../../etc/passwd'),
);
const forgedCursor = fc.oneof(
  fc.base64String({ maxLength: 40 }),
  fc.string({ maxLength: 30 }).map((text) => Buffer.from(text).toString('base64url')),
  fc.jsonValue().map((value) => Buffer.from(JSON.stringify(value)).toString('base64url')),
);
const idLike = fc.oneof(fc.uuid(), fc.constantFrom('00000000-0000-0000-0000-000000000000', 'not-a-uuid', '1', '-1'), forgedCursor);
const emailLike = fc.oneof(
  fc.emailAddress(),
  anyText.map((text) => `${text}@example.test`),
  anyText,
);
const hugeNumber = fc.oneof(
  fc.integer(),
  fc.constantFrom(0, -1, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308),
  fc.double({ noNaN: true }),
);
const wrongType = fc.oneof(
  fc.constant(null),
  hugeNumber,
  anyText,
  fc.boolean(),
  fc.array(fc.jsonValue(), { maxLength: 3 }),
  fc.object({ maxDepth: 1 }),
);

function scalarValue(name: string, argumentName: string): fc.Arbitrary<unknown> {
  if (name === 'Int' || name === 'Float') return hugeNumber;
  if (name === 'Boolean') return fc.boolean();
  if (name === 'ID') return idLike;
  if (/email/i.test(argumentName)) return emailLike;
  if (/after|before|cursor/i.test(argumentName)) return forgedCursor;
  return fc.oneof(anyText, idLike);
}

/** A value for an argument of `type`: usually of the right shape with hostile content, sometimes of a wrong type. */
function valueFor(type: GraphQLInputType, argumentName: string, depth = 0): fc.Arbitrary<unknown> {
  const rightShape = ((): fc.Arbitrary<unknown> => {
    if (isNonNullType(type)) return valueFor(type.ofType, argumentName, depth);
    if (isListType(type)) return fc.array(valueFor(type.ofType, argumentName, depth + 1), { maxLength: 4 });
    if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((value) => value.name), 'NOT_A_VALUE');
    if (isInputObjectType(type)) {
      if (depth > 3) return fc.constant({});
      const fields = Object.values(type.getFields());
      return fc.record(Object.fromEntries(fields.map((field) => [field.name, valueFor(field.type, field.name, depth + 1)])), {
        requiredKeys: fields.filter((field) => isNonNullType(field.type)).map((field) => field.name),
      });
    }
    if (isScalarType(type)) return scalarValue(type.name, argumentName);
    return wrongType;
  })();
  return fc.oneof({ arbitrary: rightShape, weight: 9 }, { arbitrary: wrongType, weight: 1 });
}

/** The smallest selection a field's type accepts: nothing for a leaf, `__typename` otherwise. */
function selectionFor(field: GraphQLField<unknown, unknown>): string {
  return isLeafType(getNamedType(field.type)) ? '' : ' { __typename }';
}

interface Probe {
  operation: string;
  variables: Record<string, unknown>;
  signedIn: boolean;
}

function probesOf(root: GraphQLObjectType | null | undefined, keyword: 'query' | 'mutation'): Array<fc.Arbitrary<Probe>> {
  if (!root || !isObjectType(root)) return [];
  return Object.values(root.getFields()).map((field) => {
    const declarations = field.args.map((argument) => `$${argument.name}: ${argument.type.toString()}`).join(', ');
    const passing = field.args.map((argument) => `${argument.name}: $${argument.name}`).join(', ');
    const operation = `${keyword}${declarations ? ` (${declarations})` : ''} { ${field.name}${passing ? `(${passing})` : ''}${selectionFor(field)} }`;
    const variables = fc.record(Object.fromEntries(field.args.map((argument) => [argument.name, valueFor(argument.type, argument.name)])), {
      requiredKeys: [],
    });
    return fc.record({ operation: fc.constant(operation), variables, signedIn: fc.boolean() });
  });
}

function expectHandled(response: GraphQLResponse<unknown>): void {
  aboutResponse(response, () => {
    expect(response.status).toBeGreaterThanOrEqual(200);
    expect(response.status).toBeLessThan(500);
    for (const error of response.body.errors ?? []) expect(ERROR_CODES).toContain(error.extensions?.['code']);
  });
}

describe('fuzzing every query and mutation through the router', () => {
  const probes = [...probesOf(schema.getQueryType(), 'query'), ...probesOf(schema.getMutationType(), 'mutation')];

  it('covers every root field of the graph', () => {
    const fields = Object.keys(schema.getQueryType()?.getFields() ?? {}).length + Object.keys(schema.getMutationType()?.getFields() ?? {}).length;
    expect(probes).toHaveLength(fields);
    expect(fields).toBeGreaterThan(20);
  });

  it('answers every generated request with a 2xx or 4xx and registry codes, and stays healthy', async () => {
    const account = await register(graph.routerUrl);
    const outcomes = new Map<string, number>();
    const tally = (outcome: string) => outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
    await fc.assert(
      fc.asyncProperty(fc.oneof(...probes), async ({ operation, variables, signedIn }) => {
        const response = await graphql(graph.routerUrl, operation, variables, signedIn ? { token: account.accessToken } : {});
        expectHandled(response);
        if (response.body.data && Object.values(response.body.data).some((value) => value !== null)) tally('data');
        for (const error of response.body.errors ?? []) tally(String(error.extensions?.['code']));
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
    // The inputs got past the router's validation into the resolvers: some were answered, some refused there.
    expect(outcomes.get('data')).toBeGreaterThan(0);
    expect(outcomes.get('BAD_USER_INPUT')).toBeGreaterThan(0);
    expect((outcomes.get('NOT_FOUND') ?? 0) + (outcomes.get('UNAUTHENTICATED') ?? 0)).toBeGreaterThan(0);
    const health = await fetch(`${graph.routerUrl}/health`);
    expect(health.status).toBe(200);
  }, 240_000);
});
