import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, print, visit, type DefinitionNode, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';

/** The operations the REST shim runs (operations/rest/*.graphql; the schema check validates them too). */
export const REST_OPERATIONS_DIR = new URL('../../../operations/rest/', import.meta.url).pathname;

/** Each named operation as a standalone document: the operation plus the fragments it spreads. */
export function loadOperations(directory = REST_OPERATIONS_DIR): Map<string, string> {
  const definitions: DefinitionNode[] = readdirSync(directory)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .flatMap((file) => parse(readFileSync(join(directory, file), 'utf8')).definitions);
  const fragments = new Map(
    definitions
      .filter((definition): definition is FragmentDefinitionNode => definition.kind === Kind.FRAGMENT_DEFINITION)
      .map((fragment) => [fragment.name.value, fragment]),
  );

  const fragmentsUsedBy = (
    node: OperationDefinitionNode | FragmentDefinitionNode,
    found = new Map<string, FragmentDefinitionNode>(),
  ): Map<string, FragmentDefinitionNode> => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`REST operations: fragment ${name} is not defined`);
        if (!found.has(name)) {
          found.set(name, fragment);
          fragmentsUsedBy(fragment, found);
        }
      },
    });
    return found;
  };

  const operations = new Map<string, string>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION || !definition.name) continue;
    const used = [...fragmentsUsedBy(definition).values()];
    operations.set(definition.name.value, [definition, ...used].map((node) => print(node)).join('\n\n'));
  }
  return operations;
}
