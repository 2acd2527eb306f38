// npx tsx scripts/bench/profile-top.ts <file.cpuprofile> [count] [--window=FROM,TO] — the heaviest functions of a V8
// CPU profile (node --cpu-prof) by self time, and the same time summed per package, as a share of all samples and of
// the busy ones (all but idle). --window keeps the samples from FROM to TO seconds before the profile's end: a
// process profiled under bench:gateway spends its first minutes starting and being seeded, and its last seconds
// answering one request at a time, so `--window=40,8` after a W3-only run (`--workloads=W3 --only=ours`) is its load.
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

const { values: options, positionals } = parseArgs({ options: { window: { type: 'string' } }, allowPositionals: true });
const [file, count = '25'] = positionals;
if (!file) throw new Error('usage: npx tsx scripts/bench/profile-top.ts <file.cpuprofile> [count] [--window=FROM,TO]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

if (options.window) {
  const [from, to] = options.window.split(',').map(Number);
  if (from === undefined || to === undefined || !(from > to && to >= 0))
    throw new Error(`--window takes FROM,TO seconds before the end, FROM > TO, not "${options.window}"`);
  // Sample i was taken at startTime + the sum of the first i + 1 time deltas (microseconds).
  let at = profile.startTime;
  const takenAt = profile.timeDeltas.map((delta) => (at += delta));
  const end = takenAt[takenAt.length - 1] ?? profile.startTime;
  const hits = new Map<number, number>();
  profile.samples.forEach((nodeId, index) => {
    const taken = takenAt[index] ?? 0;
    if (taken >= end - from * 1e6 && taken <= end - to * 1e6) hits.set(nodeId, (hits.get(nodeId) ?? 0) + 1);
  });
  for (const node of profile.nodes) node.hitCount = hits.get(node.id) ?? 0;
}

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
