/** The operations the graph's known clients send, by name: what the router's `operation` metric label may say. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse } from 'graphql';

/** operations/frontend (the web client's) and operations/rest (the REST shim's); the image copies both. */
export const KNOWN_OPERATIONS_DIRS = ['frontend', 'rest'].map((client) => new URL(`../../operations/${client}/`, import.meta.url).pathname);

/** Every operation name defined in the .graphql files of `directories`. */
export function knownOperationNames(directories: readonly string[] = KNOWN_OPERATIONS_DIRS): Set<string> {
  const names = new Set<string>();
  for (const directory of directories) {
    for (const file of readdirSync(directory).filter((name) => name.endsWith('.graphql'))) {
      for (const definition of parse(readFileSync(join(directory, file), 'utf8')).definitions) {
        if (definition.kind === Kind.OPERATION_DEFINITION && definition.name) names.add(definition.name.value);
      }
    }
  }
  return names;
}
