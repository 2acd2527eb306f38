import type { CompositionResult } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { composeSubgraphs, readSupergraphConfig, type SubgraphDefinition } from './composition.js';
import { projectFiles } from './project.js';

export interface ProjectComposition {
  subgraphs: SubgraphDefinition[];
  result: CompositionResult;
}

/**
 * The last composition and its API schema, by the subgraphs' names, URLs and SDL: the composition, breaking-changes
 * and operations checks of one run compose the same subgraphs, so they compose once. A changed SDL composes anew.
 */
let lastComposition: { key: string; result: CompositionResult; apiSchema?: GraphQLSchema } | undefined;

function compositionOf(subgraphs: SubgraphDefinition[]) {
  const key = JSON.stringify(subgraphs.map(({ name, url, sdl }) => [name, url, sdl]));
  if (lastComposition?.key !== key) lastComposition = { key, result: composeSubgraphs(subgraphs) };
  return lastComposition;
}

/** A fresh composition of the subgraphs the project's supergraph.yaml names. */
export function composeProject(root: string): ProjectComposition {
  const subgraphs = readSupergraphConfig(projectFiles(root).supergraphConfig);
  return { subgraphs, result: compositionOf(subgraphs).result };
}

/** The API schema (what clients see: no join/link machinery, no inaccessible elements) of a fresh composition. */
export function composedApiSchema(root: string): GraphQLSchema {
  const composition = compositionOf(readSupergraphConfig(projectFiles(root).supergraphConfig));
  const { result } = composition;
  if (result.errors) {
    throw new Error(`the subgraphs do not compose (${result.errors.length} error(s), see the composition check)`);
  }
  composition.apiSchema ??= result.schema.toAPISchema().toGraphQLJSSchema();
  return composition.apiSchema;
}

/** The API schema of a supergraph SDL, e.g. the committed supergraph.graphql the router serves. */
export function apiSchemaOfSupergraph(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
