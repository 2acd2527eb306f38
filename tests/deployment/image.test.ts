// The Dockerfile builds what the deployments run: one target per service running its compiled entry point as a
// non-root user, production dependencies only, the files the services read at run time at the paths they read them.
// No Docker engine runs here, so the file is checked as written.
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { defaultPrismaDir } from '@pyairtable/migrator';
import { REST_OPERATIONS_DIR } from '@pyairtable/router/rest';
import { KNOWN_OPERATIONS_DIRS } from '@pyairtable/router/server';
import {
  SERVICE_NAMES,
  dockerStages,
  inheritedInstructions,
  loadSettings,
  readRepoFile,
  repoRoot,
  workspaceDirectories,
  type DockerStage,
} from './deployment.js';

const stages = dockerStages();
const TARGETS = [...SERVICE_NAMES, 'migrate'] as const;

/** Just enough for a service to load its settings outside production (which would also want JWT_KEYS). */
const SOME_VALID_ENVIRONMENT = {
  NODE_ENV: 'development',
  DATABASE_URL: 'postgresql://user@postgres:5432/pyairtable',
  REDIS_URL: 'redis://redis:6379',
  ROUTER_SHARED_SECRET: 'x'.repeat(32),
};

function stage(name: string): DockerStage {
  const found = stages.get(name);
  if (!found) throw new Error(`the Dockerfile has no stage ${name}`);
  return found;
}

function instructionArgs(name: string, keyword: string): string[] {
  return inheritedInstructions(stages, name)
    .filter((instruction) => instruction.keyword === keyword)
    .map(({ args }) => args);
}

/** The JSON-array form of CMD / ENTRYPOINT of a target, the last one winning as in Docker. */
function command(name: string): string[] {
  const [last] = [...instructionArgs(name, 'ENTRYPOINT'), ...instructionArgs(name, 'CMD')].slice(-1);
  return JSON.parse(last ?? '[]') as string[];
}

/** The script a target's command runs, after node's own flags (the router's young-generation size). */
const entryOf = (target: string): string =>
  command(target)
    .slice(1)
    .find((arg) => !arg.startsWith('-')) ?? '';

/** `router/dist/main.js` -> `router`: the workspace a target runs. */
const workspaceOf = (target: string): string => entryOf(target).replace(/\/dist\/[^/]+\.js$/, '');

describe('the Dockerfile', () => {
  it('starts from the active Node LTS that .nvmrc names, on Debian (glibc, so bcrypt’s prebuilt binary loads)', () => {
    const activeLts = readRepoFile('.nvmrc').trim();
    expect(activeLts).toMatch(/^\d+$/);
    expect(Number(activeLts) % 2).toBe(0);
    expect(readRepoFile('Dockerfile')).toMatch(new RegExp(`^ARG NODE_IMAGE=node:${activeLts}-bookworm-slim$`, 'm'));
  });

  it('copies every workspace’s package.json before npm ci, so the lockfile installs', () => {
    const copied = stage('manifests')
      .instructions.filter(({ keyword }) => keyword === 'COPY')
      .map(({ args }) => args.split(' ')[0]);
    expect(copied).toEqual(expect.arrayContaining(['package.json', ...workspaceDirectories().map((directory) => `${directory}/package.json`)]));
  });

  it('generates the Prisma clients, then compiles, in the build stage', () => {
    const runs = stage('build')
      .instructions.filter(({ keyword }) => keyword === 'RUN')
      .map(({ args }) => args)
      .join('\n');
    expect(runs).toMatch(/npm ci --ignore-scripts/);
    expect(runs).toMatch(/npm run db:generate && npm run build/);
  });

  it.each(SERVICE_NAMES)('%s: runs its compiled entry point, on its default port, as a non-root user, with a HEALTHCHECK on /live', (service) => {
    const [node] = command(service);
    const entry = entryOf(service);
    expect(node).toBe('node');
    expect(entry).toMatch(/^[a-z/-]+\/dist\/main\.js$/);
    expect(existsSync(join(repoRoot, entry.replace('/dist/main.js', '/src/main.ts')))).toBe(true);

    const defaultPort = loadSettings(service, SOME_VALID_ENVIRONMENT)['PORT'];
    expect(instructionArgs(service, 'ENV')).toContain(`PORT=${String(defaultPort)}`);
    expect(instructionArgs(service, 'EXPOSE')).toEqual([String(defaultPort)]);

    const [healthcheck] = instructionArgs(service, 'HEALTHCHECK');
    expect(healthcheck).toContain("process.env.PORT + '/live'");
    const [user] = instructionArgs(service, 'USER').slice(-1);
    expect(user).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  });

  it('router: applies the repository’s patches to its production dependencies, as the root postinstall does', () => {
    const deps = stage('deps-router').instructions;
    const copiesPatches = deps.findIndex(({ keyword, args }) => keyword === 'COPY' && args === 'patches/ patches/');
    const applies = deps.findIndex(({ keyword, args }) => keyword === 'RUN' && /\bpatch-package@[\d.]+ --error-on-fail$/.test(args));
    expect(copiesPatches).toBeGreaterThan(0);
    expect(applies).toBeGreaterThan(copiesPatches);
    const rootManifest = JSON.parse(readRepoFile('package.json')) as { scripts: Record<string, string>; devDependencies: Record<string, string> };
    expect(rootManifest.scripts['postinstall']).toMatch(/^patch-package --error-on-fail && /);
    // The image runs the version the lockfile holds.
    const version = /patch-package@([\d.]+)/.exec(deps[applies]?.args ?? '')?.[1];
    expect(rootManifest.devDependencies['patch-package']).toBe(version);
  });

  it('migrate: runs the compiled migrator, which the Job and the init containers call with or without --check', () => {
    expect(command('migrate')).toEqual(['node', 'packages/migrator/dist/cli.js']);
    expect(instructionArgs('migrate', 'ENTRYPOINT')).toHaveLength(1);
    expect(existsSync(join(repoRoot, 'packages/migrator/src/cli.ts'))).toBe(true);
    expect(instructionArgs('migrate', 'USER').slice(-1)[0]).toMatch(/^[1-9]\d*:[1-9]\d*$/);
  });

  it.each(TARGETS)('%s: holds only its workspace’s production dependencies and compiled code from the build', (target) => {
    const copiesFrom = stage(target)
      .instructions.filter(({ keyword, args }) => keyword === 'COPY' && args.startsWith('--from='))
      .map(({ args }) => {
        const [from = '', source = ''] = args.split(' ');
        return { stage: from.slice('--from='.length), source };
      });
    const dependencies = copiesFrom.filter((copy) => copy.stage.startsWith('deps-'));
    expect(dependencies).toHaveLength(1);
    const install = stage(dependencies[0]?.stage ?? '').instructions.find(({ keyword }) => keyword === 'RUN')?.args ?? '';
    expect(install).toMatch(/npm ci --omit=dev --omit=optional --ignore-scripts .*--workspace (\S+)$/);
    expect(install.endsWith(`--workspace ${workspaceOf(target)}`)).toBe(true);
    for (const copy of copiesFrom.filter((candidate) => candidate.stage === 'build')) expect(copy.source).toMatch(/\/dist\/$/);
    expect(copiesFrom.every((copy) => copy.stage === 'build' || copy.stage.startsWith('deps-'))).toBe(true);
  });

  it.each(TARGETS)('%s: has the files it reads at run time at the paths it reads them from', (target) => {
    const copied = stage(target)
      .instructions.filter(({ keyword, args }) => keyword === 'COPY' && !args.startsWith('--from='))
      .map(({ args }) => args.split(' ')[0]);
    const routerSettings = loadSettings('router', SOME_VALID_ENVIRONMENT);
    const needs: Record<(typeof TARGETS)[number], string[]> = {
      router: [
        relative(repoRoot, String(routerSettings['SUPERGRAPH_FILE'])),
        `${relative(repoRoot, REST_OPERATIONS_DIR)}/`,
        ...KNOWN_OPERATIONS_DIRS.map((directory) => `${relative(repoRoot, directory)}/`),
      ],
      auth: ['subgraphs/auth/schema.graphql'],
      users: ['subgraphs/users/schema.graphql'],
      workspaces: ['subgraphs/workspaces/schema.graphql'],
      migrate: [`${relative(repoRoot, defaultPrismaDir)}/`],
    };
    for (const file of needs[target]) {
      expect(existsSync(join(repoRoot, file))).toBe(true);
      expect(copied).toContain(file);
    }
  });

  it('.dockerignore keeps host dependencies, build output, generated clients and secrets out of the build context', () => {
    const ignored = readRepoFile('.dockerignore').split('\n');
    for (const pattern of ['**/node_modules', '**/dist', 'subgraphs/*/src/generated', '.env', '.git']) expect(ignored).toContain(pattern);
  });
});
