import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  GraphQLError,
  Kind,
  parse,
  Source,
  specifiedRules,
  validate,
  visit,
  type ASTNode,
  type DefinitionNode,
  type DocumentNode,
  type GraphQLSchema,
} from 'graphql';
import { composedApiSchema } from '../api-schema.js';
import { checkResult, errorMessage, type CheckResult } from '../check-result.js';
import { errorPositions, sourcePosition } from '../locations.js';
import { displayPath, projectFiles } from '../project.js';

/** The .graphql files of one directory under operations/: validated as one document, so shared fragments resolve. */
export interface OperationDirectory {
  path: string;
  files: string[];
}

/**
 * Validates the operations the project's known clients send (every .graphql file under operations/: the frontend's
 * flows, the REST shim's own) against the API schema of a fresh composition, with every validation rule of the
 * GraphQL spec. A failure names the file, the operation (or fragment) and the error.
 */
export function checkOperations(root: string): CheckResult {
  const operationsDir = projectFiles(root).operationsDir;
  const directories = existsSync(operationsDir) ? operationDirectories(operationsDir) : [];
  if (directories.length === 0) {
    const failure = `no operations under ${displayPath(root, operationsDir)}: nothing would catch a break`;
    return checkResult('operations', [failure], []);
  }

  let schema: GraphQLSchema;
  try {
    schema = composedApiSchema(root);
  } catch (error) {
    return checkResult('operations', [`cannot validate the operations: ${errorMessage(error)}`], []);
  }

  const failures: string[] = [];
  const notes: string[] = [];
  for (const directory of directories) {
    const found = validateDirectory(root, schema, directory);
    failures.push(...found.failures);
    notes.push(`${displayPath(root, directory.path)}: ${found.operationCount} operation(s) in ${directory.files.length} file(s)`);
  }
  return checkResult('operations', failures, notes);
}

/** Every directory at or below `operationsDir` that holds .graphql files, with those files, in name order. */
export function operationDirectories(operationsDir: string): OperationDirectory[] {
  const entries = readdirSync(operationsDir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  const files = entries.filter((entry) => entry.isFile() && entry.name.endsWith('.graphql')).map((entry) => join(operationsDir, entry.name));
  const below = entries.filter((entry) => entry.isDirectory()).flatMap((entry) => operationDirectories(join(operationsDir, entry.name)));
  return files.length > 0 ? [{ path: operationsDir, files }, ...below] : below;
}

interface DirectoryFindings {
  failures: string[];
  operationCount: number;
}

function validateDirectory(root: string, schema: GraphQLSchema, directory: OperationDirectory): DirectoryFindings {
  const failures: string[] = [];
  const documents: DocumentNode[] = [];
  for (const file of directory.files) {
    try {
      documents.push(parse(new Source(readFileSync(file, 'utf8'), file)));
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      failures.push(`${errorPositions(root, error).join(', ')}: ${error.message}`);
    }
  }
  const definitions = documents.flatMap((document) => document.definitions);
  const operations = definitions.filter((definition) => definition.kind === Kind.OPERATION_DEFINITION);
  for (const operation of operations) {
    if (operation.name) continue;
    failures.push(`${positionOf(root, operation)} anonymous ${operation.operation}: name every operation so a break names it`);
  }

  // A file that does not parse would only add unknown-fragment noise about the fragments it defines.
  if (documents.length < directory.files.length) return { failures, operationCount: operations.length };
  const errors = validate(schema, { kind: Kind.DOCUMENT, definitions }, specifiedRules);
  const users = fragmentUsers(definitions);
  failures.push(...errors.map((error) => describeValidationError(root, error, definitions, users)));
  return { failures, operationCount: operations.length };
}

function describeValidationError(
  root: string,
  error: GraphQLError,
  definitions: readonly DefinitionNode[],
  users: ReadonlyMap<string, string[]>,
): string {
  const owners = new Set<string>();
  for (const node of error.nodes ?? []) {
    const owner = definitions.find((definition) => encloses(definition, node));
    if (owner) owners.add(describeDefinition(owner, users));
  }
  return `${errorPositions(root, error).join(', ')} ${[...owners].join(', ') || 'document'}: ${error.message}`;
}

function encloses(definition: DefinitionNode, node: ASTNode): boolean {
  const outer = definition.loc;
  const inner = node.loc;
  return !!outer && !!inner && outer.source === inner.source && outer.start <= inner.start && inner.end <= outer.end;
}

/** A fragment is named with the operations that spread it, directly or through other fragments: those are what break. */
function describeDefinition(definition: DefinitionNode, users: ReadonlyMap<string, string[]>): string {
  if (definition.kind === Kind.OPERATION_DEFINITION) return `${definition.operation} ${definition.name?.value ?? '(anonymous)'}`;
  if (definition.kind !== Kind.FRAGMENT_DEFINITION) return definition.kind;
  const operations = users.get(definition.name.value) ?? [];
  return `fragment ${definition.name.value}${operations.length > 0 ? ` (used by ${operations.join(', ')})` : ''}`;
}

/** For each fragment name, the named operations that use it, directly or through other fragments. */
function fragmentUsers(definitions: readonly DefinitionNode[]): Map<string, string[]> {
  const spreads = new Map<string, string[]>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    spreads.set(definition.name.value, spreadNames(definition));
  }
  const users = new Map<string, string[]>();
  for (const operation of definitions) {
    if (operation.kind !== Kind.OPERATION_DEFINITION || !operation.name) continue;
    const reached = new Set<string>();
    const pending = spreadNames(operation);
    for (let name = pending.pop(); name !== undefined; name = pending.pop()) {
      if (reached.has(name)) continue;
      reached.add(name);
      pending.push(...(spreads.get(name) ?? []));
    }
    for (const name of reached) users.set(name, [...(users.get(name) ?? []), operation.name.value]);
  }
  return users;
}

function spreadNames(node: ASTNode): string[] {
  const names: string[] = [];
  visit(node, { FragmentSpread: (spread) => void names.push(spread.name.value) });
  return names;
}

function positionOf(root: string, node: ASTNode): string {
  return node.loc ? sourcePosition(root, node.loc.source, node.loc.start) : '(unknown position)';
}
