import type { CompositionResult } from '@apollo/composition';
import { Supergraph } from '@apollo/federation-internals';
import type { GraphQLSchema } from 'graphql';
import { composeSubgraphs, readSupergraphConfig, type SubgraphDefinition } from './composition.js';
import { projectFiles } from './project.js';

export interface ProjectComposition {
  subgraphs: SubgraphDefinition[];
  result: CompositionResult;
}

/** A fresh composition of the subgraphs the project's supergraph.yaml names. */
export function composeProject(root: string): ProjectComposition {
  const subgraphs = readSupergraphConfig(projectFiles(root).supergraphConfig);
  return { subgraphs, result: composeSubgraphs(subgraphs) };
}

/** The API schema (what clients see: no join/link machinery, no inaccessible elements) of a fresh composition. */
export function composedApiSchema(root: string): GraphQLSchema {
  const { result } = composeProject(root);
  if (result.errors) {
    throw new Error(`the subgraphs do not compose (${result.errors.length} error(s), see the composition check)`);
  }
  return result.schema.toAPISchema().toGraphQLJSSchema();
}

/** The API schema of a supergraph SDL, e.g. the committed supergraph.graphql the router serves. */
export function apiSchemaOfSupergraph(supergraphSdl: string): GraphQLSchema {
  return Supergraph.build(supergraphSdl).apiSchema().toGraphQLJSSchema();
}
