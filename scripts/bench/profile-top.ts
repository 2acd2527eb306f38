// npx tsx scripts/bench/profile-top.ts <file.cpuprofile> [count] — the heaviest functions of a V8 CPU profile
// (node --cpu-prof) by self time, and the same time summed per package, as a share of all samples and of the busy
// ones (all but idle).
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
function packageOf(url: string, functionName: string): string {
  if (functionName === '(idle)') return '(idle)';
  const inModules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (inModules?.[1]) return inModules[1];
  if (url.startsWith('node:')) return 'node';
  if (url === '') return '(native, GC)';
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
  byPackage.set(packageOf(url, functionName), (byPackage.get(packageOf(url, functionName)) ?? 0) + hitCount);
  total += hitCount;
}

const busy = total - (byFunction.get('(idle)') ?? 0);

function printTop(title: string, entries: Map<string, number>, limit: number): void {
  console.log(`\n${title}\n  all  busy`);
  for (const [name, hits] of [...entries].sort((a, b) => b[1] - a[1]).slice(0, limit)) {
    const share = (of: number) => ((100 * hits) / of).toFixed(1).padStart(5);
    console.log(`${share(total)}% ${name === '(idle)' ? '     ' : `${share(busy)}%`}  ${name}`);
  }
}

printTop(`Self time by function (${total} samples, ${busy} of them busy)`, byFunction, Number(count));
printTop('Self time by package', byPackage, 15);
