import { spawn } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSupergraphConfig } from '@pyairtable/schema-tools';

export const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** A temporary copy of what the schema checks read; tests break it on purpose, never the repository. */
export interface ProjectCopy {
  root: string;
  read(file: string): Promise<string>;
  write(file: string, text: string): Promise<void>;
  /** Replaces `from` in `file`; throws when it is not there, so a stale fixture cannot make a test pass vacuously. */
  edit(file: string, from: string, to: string): Promise<void>;
  remove(): Promise<void>;
}

/**
 * Copies supergraph.yaml, supergraph.graphql, every subgraph's schema.graphql, schema/ and operations/, and the
 * prisma/ directories of `prismaSubgraphs` only: replaying migrations takes seconds per subgraph.
 */
export async function copyProject(prismaSubgraphs: string[] = []): Promise<ProjectCopy> {
  const root = await mkdtemp(join(tmpdir(), 'schema-check-'));
  const subgraphFiles = readSupergraphConfig(join(repoRoot, 'supergraph.yaml')).map(({ sdlFile }) => relative(repoRoot, sdlFile));
  const copied = [
    'supergraph.yaml',
    'supergraph.graphql',
    'schema',
    'operations',
    ...subgraphFiles,
    ...prismaSubgraphs.map((name) => join('prisma', name)),
  ];
  for (const path of copied) await cp(join(repoRoot, path), join(root, path), { recursive: true });

  const read = (file: string) => readFile(join(root, file), 'utf8');
  const write = async (file: string, text: string) => {
    await mkdir(dirname(join(root, file)), { recursive: true });
    await writeFile(join(root, file), text);
  };
  return {
    root,
    read,
    write,
    async edit(file, from, to) {
      const text = await read(file);
      if (!text.includes(from)) throw new Error(`${file} does not contain ${JSON.stringify(from)}`);
      await write(file, text.replace(from, to));
    },
    remove: () => rm(root, { recursive: true, force: true }),
  };
}

export interface ScriptResult {
  code: number | null;
  output: string;
}

/** Runs one of the repository's scripts as `npm run` does (tsx, workspace packages from source). */
export function runScript(script: string, args: string[]): Promise<ScriptResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--conditions=development', '--import', 'tsx', join(repoRoot, script), ...args], { cwd: repoRoot });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}
