/** The committed supergraph the gateway plans from (npm run compose writes it), read and checked once at startup. */
import { readFileSync } from 'node:fs';
import { Supergraph } from '@apollo/federation-internals';

export interface SubgraphEntry {
  name: string;
  /** Its routing_url as composed; settings may override it (see subgraphUrls). */
  url: string;
}

export interface SupergraphFile {
  sdl: string;
  subgraphs: readonly SubgraphEntry[];
}

/** Reads the file and validates it as a supergraph the way the gateway will, so a broken file is named at startup. */
export function readSupergraph(file: string): SupergraphFile {
  let sdl: string;
  try {
    sdl = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`Cannot read the supergraph ${file} (SUPERGRAPH_FILE): ${messageOf(error)}`, { cause: error });
  }
  try {
    return { sdl, subgraphs: Supergraph.build(sdl).subgraphsMetadata() };
  } catch (error) {
    throw new Error(`${file} (SUPERGRAPH_FILE) is not a valid supergraph; \`npm run compose\` writes one: ${messageOf(error)}`, { cause: error });
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
