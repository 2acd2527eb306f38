// GraphQL Code Generator: each subgraph's resolver types from its schema.graphql. `npm run codegen` writes them,
// `npm run codegen:check` (scripts/codegen/check.ts) fails when a committed one is stale.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';
import type { SubgraphName } from '@pyairtable/common/subgraphs';

type OutputConfig = CodegenConfig['generates'][string];

interface SubgraphTypes {
  /** The subgraph's context type, `path#Name` relative to the generated file. */
  contextType: string;
  /** What the resolvers really return for these GraphQL types (the parent the next resolvers receive). */
  mappers: Record<string, string>;
}

const PRISMA_CLIENT = '../generated/prisma/client.js';

/** Every registered subgraph (the registry's names, so a new subgraph cannot be left out). */
const SUBGRAPHS: Record<SubgraphName, SubgraphTypes> = {
  auth: {
    contextType: '../context.js#AuthContext',
    mappers: { User: `${PRISMA_CLIENT}#User`, AuthPayload: '../domain/accounts.js#AuthPayload' },
  },
  users: {
    contextType: '../context.js#UsersContext',
    mappers: { User: `${PRISMA_CLIENT}#Profile`, UserConnection: '../domain/profiles.js#ProfilePage' },
  },
  workspaces: {
    contextType: '../context.js#WorkspacesContext',
    mappers: {
      Workspace: `${PRISMA_CLIENT}#Workspace`,
      WorkspaceMember: `${PRISMA_CLIENT}#Membership`,
      WorkspaceInvitation: '../data/invitation-store.js#InvitationRecord',
      // Connections count their totalCount only when asked (packages/common/src/graphql/pagination.ts).
      WorkspaceConnection: '../loaders.js#WorkspacePage',
      WorkspaceMemberConnection: '../loaders.js#MemberPage',
      WorkspaceInvitationConnection: '../loaders.js#InvitationPage',
      // User is the users subgraph's entity: here it is only its key, the router resolves the rest there.
      User: '{ id: string }',
    },
  },
};

/** Where a subgraph's generated resolver types live, relative to the project root. */
export function resolverTypesFile(subgraph: string): string {
  return join('subgraphs', subgraph, 'src', 'resolvers', 'resolvers-types.generated.ts');
}

export function subgraphSchemaFile(subgraph: string): string {
  return join('subgraphs', subgraph, 'schema.graphql');
}

/** The resolvers signatures Apollo's subgraph template generates, on this project's ESM and strict settings. */
function resolverTypes(root: string, subgraph: string, { contextType, mappers }: SubgraphTypes): OutputConfig {
  return {
    schema: join(root, subgraphSchemaFile(subgraph)),
    plugins: [
      { add: { content: `// Generated from ${subgraphSchemaFile(subgraph)} by codegen.ts: do not edit, run \`npm run codegen\`.` } },
      'typescript',
      'typescript-resolvers',
    ],
    config: {
      federation: true,
      contextType,
      mappers,
      // A mapper named like the type it maps (Prisma's Workspace for Workspace) is imported as WorkspaceModel.
      mapperTypeSuffix: 'Model',
      // What DateTimeScalar (packages/common/src/scalars.ts) parses arguments into, and what it serializes.
      scalars: { DateTime: { input: 'Date', output: 'Date | string' } },
      // Prisma's enums are string unions too, so a row's role is the GraphQL enum's type as it is.
      enumsAsTypes: true,
      useTypeImports: true,
    },
  };
}

/** The codegen configuration for the project at `root`, with absolute paths so it runs from any directory. */
export function codegenConfig(root: string): CodegenConfig {
  const generates: CodegenConfig['generates'] = {};
  for (const [subgraph, types] of Object.entries(SUBGRAPHS)) {
    generates[join(root, resolverTypesFile(subgraph))] = resolverTypes(root, subgraph, types);
  }
  return { overwrite: true, silent: true, generates };
}

export const projectRoot = fileURLToPath(new URL('.', import.meta.url));

export default codegenConfig(projectRoot);
