import { getLocation, type ASTNode, type GraphQLError, type Source } from 'graphql';
import { displayPath } from './project.js';

/** `file:line:column` of a position in a parsed source, the file relative to the project root. */
export function sourcePosition(root: string, source: Source, position: number): string {
  const { line, column } = getLocation(source, position);
  return `${displayPath(root, source.name)}:${line}:${column}`;
}

/**
 * Where the nodes of an error or hint are, one `file:line:column` each. Composition marks every node with the
 * subgraph it came from, which is named too.
 */
export function nodePositions(root: string, nodes: readonly ASTNode[] | undefined): string[] {
  return (nodes ?? []).flatMap((node) => {
    if (!node.loc) return [];
    const subgraph = 'subgraph' in node && typeof node.subgraph === 'string' ? ` (subgraph ${node.subgraph})` : '';
    return [`${sourcePosition(root, node.loc.source, node.loc.start)}${subgraph}`];
  });
}

/** Where a GraphQL error points: its nodes, else the positions in its source (syntax errors have no nodes). */
export function errorPositions(root: string, error: GraphQLError): string[] {
  const fromNodes = nodePositions(root, error.nodes);
  if (fromNodes.length > 0) return fromNodes;
  const { source, positions } = error;
  return source && positions ? positions.map((position) => sourcePosition(root, source, position)) : [];
}
