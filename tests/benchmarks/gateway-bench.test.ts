import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { describe, expect, it } from '@jest/globals';

const root = new URL('../..', import.meta.url).pathname;

/** Runs `npm run bench:gateway -- --smoke` as node itself (npm would leave the services running if killed). */
async function runSmokeBenchmark(): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', '--conditions=development', 'scripts/bench/gateway.ts', '--smoke'], {
    cwd: root,
    env: process.env,
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const [code] = (await once(child, 'exit')) as [number | null];
  return { code, output };
}

/** The cells of the table rows that start with `workload`. */
function rowsOf(output: string, workload: string): string[][] {
  return output
    .split('\n')
    .filter((line) => line.startsWith(`| ${workload}, `))
    .map((line) =>
      line
        .split('|')
        .slice(1, -1)
        .map((cell) => cell.trim()),
    );
}

// Checks that the benchmark runs end to end and prints its tables; the figures themselves are for people to read
// (a shared CI machine makes them too noisy to assert).
describe('npm run bench:gateway', () => {
  it('starts our router and Hive Gateway on the same subgraphs, loads every workload through each and prints the tables', async () => {
    const { code, output } = await runSmokeBenchmark();
    expect({ code, output: code === 0 ? '' : output }).toEqual({ code: 0, output: '' });
    expect(output).toContain('| workload, connections | gateway | req/s | p50 ms | p99 ms | errors | gateway CPU ms/req |');
    expect(output).toContain('Ratios, ours ÷ Hive');
    for (const workload of ['W1', 'W2', 'W3', 'W4']) {
      const rows = rowsOf(output, workload);
      // The measurement table's rows and the ratio table's row.
      expect(rows.map((cells) => cells[1])).toEqual(expect.arrayContaining(['ours', 'Hive stock', 'Hive, dedup off']));
      // Every gateway answered without errors: Hive's identity plugin accepted our tokens and the subgraphs its credential.
      for (const cells of rows.filter((row) => row.length === 11))
        expect({ gateway: cells[1], errors: cells[5] }).toEqual({ gateway: cells[1], errors: '0' });
    }
    expect(output).toMatch(/\| ours \| [\d.]+ \| [-\d.]+ \|/);
    // Every target of the issue is judged (the verdicts of a half-second smoke run mean nothing, so only that it is).
    expect(output).toContain('| target | this run | bound | met |');
    expect(output).toMatch(/\| router RSS MB after the load \(the most of any workload\) \| \d+ \| ≤ 250 MB \| (yes|NO) \|/);
  }, 600_000);
});
