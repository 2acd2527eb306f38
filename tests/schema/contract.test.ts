import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { buildSchema, printSchema, type GraphQLSchema } from 'graphql';
import { apiSchemaOfSupergraph, contractDifferences } from '@pyairtable/schema-tools';
import { repoRoot } from './project-copy.js';

/**
 * The clients' contract (schema/contract.graphql, a verbatim copy of the agreed schema) against the API schema of
 * the supergraph the router actually serves: the committed supergraph.graphql.
 */
describe('the client contract', () => {
  let contract: GraphQLSchema;
  let servedSdl: string;
  beforeAll(async () => {
    contract = buildSchema(await readFile(join(repoRoot, 'schema', 'contract.graphql'), 'utf8'));
    servedSdl = printSchema(apiSchemaOfSupergraph(await readFile(join(repoRoot, 'supergraph.graphql'), 'utf8')));
  });

  it('is honoured by the committed supergraph: every type, field, argument, enum value and input field, with its nullability and defaults', () => {
    expect(contractDifferences(contract, buildSchema(servedSdl))).toEqual([]);
  });

  it('reports each missing or differing item by name', () => {
    let sdl = servedSdl;
    sdl = editType(sdl, 'type User', (block) => replaceOnce(block, '  bio: String\n', ''));
    sdl = editType(sdl, 'type Query', (block) => replaceOnce(block, '  user(id: ID!): User\n', '  user(id: ID!): User!\n'));
    sdl = editType(sdl, 'type Query', (block) => replaceOnce(block, '  me: User!\n', '  me(locale: String!): User!\n'));
    sdl = editType(sdl, 'type Query', (block) => replaceOnce(block, 'users(first: Int = 20,', 'users(first: Int,'));
    sdl = editType(sdl, 'type Workspace', (block) => replaceOnce(block, 'members(first: Int = 50,', 'members(first: Int = 100,'));
    sdl = editType(sdl, 'enum WorkspaceRole', (block) => replaceOnce(block, '  VIEWER\n', ''));
    sdl = editType(sdl, 'input LoginInput', (block) => replaceOnce(block, '  password: String!\n', '  password: String\n'));
    sdl = editType(sdl, 'input RegisterInput', (block) =>
      replaceOnce(block, '  displayName: String\n', '  displayName: String\n  inviteCode: String!\n'),
    );
    sdl = editType(sdl, 'type PageInfo', (block) => replaceOnce(block, 'endCursor: String', 'endCursor: [String]'));

    expect(contractDifferences(contract, buildSchema(sdl)).sort()).toEqual(
      [
        'User.bio: missing field',
        'Query.user: type User in the contract, User! in the schema',
        'Query.me(locale:): required argument the contract does not have',
        'Query.users(first:): default 20 in the contract, none in the schema',
        'Workspace.members(first:): default 50 in the contract, 100 in the schema',
        'WorkspaceRole.VIEWER: missing enum value',
        'LoginInput.password: type String! in the contract, String in the schema',
        'RegisterInput.inviteCode: required input field the contract does not have',
        'PageInfo.endCursor: type String in the contract, [String] in the schema',
      ].sort(),
    );
  });

  it('reports a missing type, a type of another kind, a missing union member and a missing interface', () => {
    const contractWithExtras = buildSchema(
      `${printSchema(contract)}
      type Team { id: ID! }
      union SearchHit = User | Workspace
      interface Node { id: ID! }
      extend type User implements Node`,
    );
    const servedWithChanges = buildSchema(
      `${servedSdl.replace(/enum UserRole \{[^}]*\}/, 'scalar UserRole')}
      union SearchHit = User
      interface Node { id: ID! }`,
    );

    expect(contractDifferences(contractWithExtras, servedWithChanges).sort()).toEqual(
      [
        'Team: missing type',
        'SearchHit: missing union member Workspace',
        'User: does not implement Node',
        'UserRole: enum in the contract, scalar in the schema',
      ].sort(),
    );
  });
});

/** Applies `edit` to the block `header { ... }` of a printed schema; throws when there is no such block. */
function editType(sdl: string, header: string, edit: (block: string) => string): string {
  const start = sdl.indexOf(`\n${header} `);
  const end = sdl.indexOf('\n}', start) + 1;
  if (start === -1 || end === 0) throw new Error(`no ${header} in the schema`);
  return sdl.slice(0, start) + edit(sdl.slice(start, end)) + sdl.slice(end);
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`${JSON.stringify(from)} not found`);
  return text.replace(from, to);
}
