import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { bindMigrationAwareSqlAdapterFactory, type SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';

// Prisma's WebAssembly schema engine. Its package entry imports the .wasm as an ES module, which plain Node cannot
// load, so the wasm-bindgen glue is instantiated here by hand. Only the parts of its API used here are typed.
const enginePackage = '@prisma/schema-engine-wasm';

export interface SchemaFile {
  path: string;
  content: string;
}

export type DiffTarget =
  { tag: 'empty' } | { tag: 'schemaDatamodel'; files: SchemaFile[] } | { tag: 'schemaDatasource'; files: SchemaFile[]; configDir: string };

export interface DiffParams {
  from: DiffTarget;
  to: DiffTarget;
  script: boolean;
  /** When true, exitCode is 2 for a non-empty diff and 0 for an empty one. */
  exitCode: boolean | null;
  filters: { externalTables: string[]; externalEnums: string[] };
}

export interface SchemaEngine {
  diff(params: DiffParams): Promise<{ exitCode: number; stdout: string | null }>;
  free(): void;
}

interface SchemaEngineGlue {
  [exportName: string]: unknown;
  __wbg_set_wasm(exports: WasmExports): void;
  SchemaEngine: {
    new: (options: { datamodels: Array<[string, string]> }, log: (line: string) => void, adapterFactory: object) => Promise<SchemaEngine>;
  };
}

type WasmExports = Record<string, unknown>;

// The project's lib settings (ES2023, no DOM) leave the WebAssembly global untyped.
const { WebAssembly } = globalThis as unknown as {
  WebAssembly: {
    instantiate(bytes: Uint8Array, imports: Record<string, Record<string, unknown>>): Promise<{ instance: { exports: WasmExports } }>;
  };
};

let loadedGlue: Promise<SchemaEngineGlue> | undefined;

/** Runs `work` with a schema engine that reaches its database through `adapterFactory`, then frees the engine. */
export async function withSchemaEngine<T>(
  schema: SchemaFile,
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  work: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const glue = await (loadedGlue ??= loadGlue());
  const engine = await glue.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {
      // The engine's own log lines are not shown: what the migrator needs comes back from each call, or as its error.
    },
    bindMigrationAwareSqlAdapterFactory(adapterFactory),
  );
  try {
    return await work(engine);
  } finally {
    engine.free();
  }
}

async function loadGlue(): Promise<SchemaEngineGlue> {
  const gluePath = resolveGlue();
  const glue = (await import(pathToFileURL(gluePath).href)) as SchemaEngineGlue;
  const wasm = await readFile(join(dirname(gluePath), 'schema_engine_bg.wasm'));
  const { instance } = await WebAssembly.instantiate(wasm, { './schema_engine_bg.js': withUnrefTimers(glue) });
  glue.__wbg_set_wasm(instance.exports);
  (instance.exports['__wbindgen_start'] as () => void)();
  return glue;
}

function resolveGlue(): string {
  try {
    return createRequire(import.meta.url).resolve(`${enginePackage}/schema_engine_bg`);
  } catch {
    throw new Error(
      `${enginePackage} is not installed: authoring migrations needs Prisma's WebAssembly schema engine ` +
        `(npm install -w @pyairtable/migrator ${enginePackage})`,
    );
  }
}

// The engine arms a timer it never clears; unref'd, it no longer keeps a finished process alive.
function withUnrefTimers(glue: SchemaEngineGlue): Record<string, unknown> {
  const imports: Record<string, unknown> = { ...glue };
  for (const [name, value] of Object.entries(glue)) {
    if (name.startsWith('__wbg_setTimeout_') && typeof value === 'function') {
      const setTimer = value as (callback: () => void, delay: number) => NodeJS.Timeout;
      imports[name] = (callback: () => void, delay: number) => setTimer(callback, delay).unref();
    }
  }
  return imports;
}
