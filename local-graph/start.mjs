// npm start: the local graph from its compiled JavaScript (tsc -b's dist/, built when the project installs), in
// this very process (npm's script execs it, so no shell stands between): a signal npm passes on reaches the graph,
// and no child outlives it. tsx would compile every module
// on each start (seconds); here the TypeScript compiler runs only when a source is newer than its build.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import module from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

/** One JSON log line, as the services write them (the graph's own logger is not loaded yet). */
function progress(msg, fields = {}) {
  console.log(JSON.stringify({ level: 'info', time: new Date().toISOString(), service: 'local-graph', ...fields, msg }));
}

/** The newest modification time under `path` (a file or a folder), 0 when absent. */
function newestChange(path) {
  if (!existsSync(path)) return 0;
  const stats = statSync(path);
  if (!stats.isDirectory()) return stats.mtimeMs;
  return readdirSync(path).reduce((newest, entry) => Math.max(newest, newestChange(join(path, entry))), stats.mtimeMs);
}

/** The TypeScript projects `npm run build` compiles (the root tsconfig.json's references) whose build is older than a source. */
function staleProjects() {
  const projects = JSON.parse(readFileSync(join(root, 'tsconfig.json'), 'utf8')).references.map((reference) => reference.path);
  return projects.filter((project) => {
    const built = newestChange(join(root, project, 'tsconfig.tsbuildinfo'));
    const sources = Math.max(newestChange(join(root, project, 'src')), newestChange(join(root, project, 'tsconfig.json')));
    return built === 0 || sources > built;
  });
}

function compile() {
  return new Promise((resolve, reject) => {
    const tsc = spawn(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-b'], { cwd: root, stdio: 'inherit' });
    const stop = (signal) => tsc.kill(signal);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    tsc.once('exit', (code, signal) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      if (code === 0) resolve();
      else reject(new Error(signal ? `tsc -b stopped by ${signal}` : `tsc -b failed (exit ${code}): fix the errors above, then npm start again`));
    });
  });
}

const stale = staleProjects();
if (stale.length > 0) {
  progress('compiling the TypeScript sources (tsc -b): they changed since the last build', { projects: stale });
  const started = performance.now();
  try {
    await compile();
  } catch (error) {
    console.error(error.message);
    process.exit(1);
  }
  progress('compiled', { ms: Math.round(performance.now() - started) });
}
progress('starting the local graph');
// Node 22.1+ keeps the compiled bytecode of every module it loads, so a restart skips most of the parsing.
module.enableCompileCache?.();
await import('./dist/main.js');
