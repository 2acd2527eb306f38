import { existsSync, readFileSync } from 'node:fs';
import type { CompositionSuccess } from '@apollo/composition';
import { createTwoFilesPatch } from 'diff';
import type { GraphQLError } from 'graphql';
import { composeProject, type ProjectComposition } from '../api-schema.js';
import { checkResult, errorMessage, type CheckResult } from '../check-result.js';
import { errorPositions, nodePositions } from '../locations.js';
import { displayPath, projectFiles } from '../project.js';

type CompositionHint = CompositionSuccess['hints'][number];

/**
 * The composition hints that fail the check. Composition succeeds despite them, but each means the graph clients
 * get is not the one some subgraph declares: an element one subgraph defines is silently left out of the API, or
 * copies of a shared type (PageInfo, DateTime, the role enums) have drifted apart, or the query planner may answer
 * the same field differently depending on which subgraph it picks. The other hints (descriptions that differ,
 * value-type fields not defined everywhere, @override progress, unused enums, federation version upgrades) are
 * printed as notes: they leave the API as every subgraph meant it.
 */
export const FAILING_HINT_CODES: ReadonlySet<string> = new Set([
  // Copies of a shared field or argument disagree on its type; the API takes one of them.
  'INCONSISTENT_BUT_COMPATIBLE_FIELD_TYPE',
  'INCONSISTENT_BUT_COMPATIBLE_ARGUMENT_TYPE',
  // An argument default declared in only some subgraphs is dropped from the API.
  'INCONSISTENT_DEFAULT_VALUE_PRESENCE',
  // A type is an entity in some subgraphs and a value type in others: it is resolved two different ways.
  'INCONSISTENT_ENTITY',
  // An input field, an optional argument or an input enum value missing from one subgraph is dropped from the API.
  'INCONSISTENT_INPUT_OBJECT_FIELD',
  'INCONSISTENT_ARGUMENT_PRESENCE',
  'INCONSISTENT_ENUM_VALUE_FOR_INPUT_ENUM',
  // An output enum value some subgraph does not know: that subgraph cannot accept it back or reason about it.
  'INCONSISTENT_ENUM_VALUE_FOR_OUTPUT_ENUM',
  // Executable directives clients may use are dropped or narrowed when subgraphs disagree on them.
  'INCONSISTENT_EXECUTABLE_DIRECTIVE_PRESENCE',
  'NO_EXECUTABLE_DIRECTIVE_LOCATIONS_INTERSECTION',
  'INCONSISTENT_EXECUTABLE_DIRECTIVE_REPEATABLE',
  'INCONSISTENT_EXECUTABLE_DIRECTIVE_LOCATIONS',
  // One subgraph's directive arguments are ignored.
  'INCONSISTENT_NON_REPEATABLE_DIRECTIVE_ARGUMENTS',
  // @override(from:) names no subgraph: a typo, and the field is not moved.
  'FROM_SUBGRAPH_DOES_NOT_EXIST',
  // A @shareable field answers with different runtime types depending on the subgraph the planner picks.
  'INCONSISTENT_RUNTIME_TYPES_FOR_SHAREABLE_RETURN',
]);

/**
 * Composes every subgraph supergraph.yaml names: any composition error, or a hint in FAILING_HINT_CODES, fails with
 * the subgraph and the file position named; so does a committed supergraph.graphql that is not this composition.
 */
export function checkComposition(root: string): CheckResult {
  const failures: string[] = [];
  const notes: string[] = [];
  const files = projectFiles(root);

  let composition: ProjectComposition;
  try {
    composition = composeProject(root);
  } catch (error) {
    return checkResult('composition', [`cannot read ${displayPath(root, files.supergraphConfig)}: ${errorMessage(error)}`], []);
  }
  const { result, subgraphs } = composition;
  notes.push(`subgraphs: ${subgraphs.map((subgraph) => subgraph.name).join(', ')}`);

  if (result.errors) {
    failures.push(...result.errors.map((error) => describeError(root, error)));
    return checkResult('composition', failures, notes);
  }
  for (const hint of result.hints) {
    (FAILING_HINT_CODES.has(hint.definition.code) ? failures : notes).push(describeHint(root, hint));
  }

  const staleness = supergraphStaleness(displayPath(root, files.supergraph), files.supergraph, result.supergraphSdl);
  if (staleness) {
    failures.push(
      `${displayPath(root, files.supergraph)} is not the composition of the subgraphs: run \`npm run compose\` and commit the result. ` + staleness,
    );
  }
  return checkResult('composition', failures, notes);
}

function describeError(root: string, error: GraphQLError): string {
  const code = typeof error.extensions['code'] === 'string' ? `${error.extensions['code']}: ` : '';
  return withPositions(`${code}${error.message}`, errorPositions(root, error));
}

function describeHint(root: string, hint: CompositionHint): string {
  return withPositions(`hint ${hint.definition.code}: ${hint.message}`, nodePositions(root, hint.nodes));
}

function withPositions(message: string, positions: string[]): string {
  return [message, ...positions.map((position) => `  at ${position}`)].join('\n');
}

/** The most lines of the diff a failure shows. */
const MAX_DIFF_LINES = 200;

/** How the committed supergraph differs from a fresh composition (a unified diff), or undefined when it does not. */
function supergraphStaleness(shownPath: string, committedFile: string, composedSdl: string): string | undefined {
  if (!existsSync(committedFile)) return 'The file is missing.';
  const committed = readFileSync(committedFile, 'utf8');
  if (committed === composedSdl) return undefined;
  const patch = createTwoFilesPatch(`${shownPath} (committed)`, `${shownPath} (composed)`, committed, composedSdl, undefined, undefined, {
    context: 3,
  });
  // The first line of a two-file patch is its "====" separator.
  const lines = patch.split('\n').slice(1);
  const shown = lines.length > MAX_DIFF_LINES ? [...lines.slice(0, MAX_DIFF_LINES), `… ${lines.length - MAX_DIFF_LINES} more lines`] : lines;
  return `How it differs (- committed, + composed):\n${shown.join('\n').trimEnd()}`;
}
