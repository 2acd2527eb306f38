import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { GraphQLError, parse, Source, type DocumentNode } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** supergraph.yaml, in Rover's supergraph config format. */
const supergraphConfigSchema = z.object({
  federation_version: z.string().regex(/^=?2\.\d+/, 'must name a Federation 2 version, e.g. =2.14.4'),
  subgraphs: z.record(
    z.string(),
    z.object({
      routing_url: z.url(),
      schema: z.object({ file: z.string() }),
    }),
  ),
});

export interface SubgraphDefinition {
  name: string;
  url: string;
  sdlFile: string;
  sdl: string;
}

export function readSupergraphConfig(configFile: string): SubgraphDefinition[] {
  const config = supergraphConfigSchema.parse(parseYaml(readFileSync(configFile, 'utf8')));
  return Object.entries(config.subgraphs).map(([name, subgraph]) => {
    const sdlFile = resolve(dirname(configFile), subgraph.schema.file);
    return { name, url: subgraph.routing_url, sdlFile, sdl: readFileSync(sdlFile, 'utf8') };
  });
}

/**
 * Composes the subgraphs as Rover would. Each SDL is parsed as a Source named after its file, so every error and
 * hint node carries the file and line it came from; a subgraph that does not parse is a composition error too.
 */
export function composeSubgraphs(subgraphs: SubgraphDefinition[]): CompositionResult {
  const syntaxErrors: GraphQLError[] = [];
  const services = subgraphs.flatMap(({ name, url, sdl, sdlFile }) => {
    const typeDefs = parseSubgraph(name, sdl, sdlFile, syntaxErrors);
    return typeDefs ? [{ name, url, typeDefs }] : [];
  });
  if (syntaxErrors.length > 0) return { errors: syntaxErrors };
  return composeServices(services);
}

function parseSubgraph(name: string, sdl: string, sdlFile: string, syntaxErrors: GraphQLError[]): DocumentNode | undefined {
  try {
    return parse(new Source(sdl, sdlFile));
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    // Worded and coded as composition words its own errors about a subgraph's SDL.
    const { source, positions } = error;
    const extensions = { code: 'INVALID_GRAPHQL' };
    syntaxErrors.push(new GraphQLError(`[${name}] ${error.message}`, { source, positions, extensions }));
    return undefined;
  }
}
