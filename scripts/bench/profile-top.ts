// npx tsx scripts/bench/profile-top.ts <file.cpuprofile> [count] — the heaviest functions of a V8 CPU profile
// (node --cpu-prof) by self time, and the same time summed per package, as a share of all samples.
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

const [file, count = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: npx tsx scripts/bench/profile-top.ts <file.cpuprofile> [count]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as { nodes: ProfileNode[] };

/** Where a function lives: its npm package, the project's own code, or Node itself. */
function packageOf(url: string): string {
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules?.[1]) return inModules[1];
  if (url.startsWith('node:')) return 'node';
  if (url === '') return '(native, GC, idle)';
  return 'project';
}

const byFunction = new Map<string, number>();
const byPackage = new Map<string, number>();
let total = 0;
for (const { callFrame, hitCount = 0 } of profile.nodes) {
  const { functionName, url, lineNumber } = callFrame;
  const where = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*?\/(router|packages|subgraphs)\//, '$1/')}:${lineNumber + 1}` : '';
  const name = `${functionName || '(anonymous)'} ${where}`.trim();
  byFunction.set(name, (byFunction.get(name) ?? 0) + hitCount);
  byPackage.set(packageOf(url), (byPackage.get(packageOf(url)) ?? 0) + hitCount);
  total += hitCount;
}

function printTop(title: string, entries: Map<string, number>, limit: number): void {
  console.log(`\n${title}`);
  for (const [name, hits] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    console.log(`${((100 * hits) / total).toFixed(1).padStart(5)}%  ${name}`);
  }
}

printTop(`Self time by function (${total} samples)`, byFunction, Number(count));
printTop('Self time by package', byPackage, 15);
