import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { composeServices, type CompositionResult } from '@apollo/composition';
import { parse } from 'graphql';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** supergraph.yaml, in Rover's supergraph config format. */
const supergraphConfigSchema = z.object({
  federation_version: z.string().regex(/^=?2\.\d+/, 'must name a Federation 2 version, e.g. =2.14.4'),
  subgraphs: z.record(
    z.string(),
    z.object({
      routing_url: z.string().url(),
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

export function composeSubgraphs(subgraphs: SubgraphDefinition[]): CompositionResult {
  return composeServices(subgraphs.map(({ name, url, sdl }) => ({ name, url, typeDefs: parse(sdl) })));
}
