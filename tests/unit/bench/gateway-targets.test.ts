import { describe, expect, it } from '@jest/globals';
import { judgeTargets, machineScale, type GatewayName, type RunFigures, type WorkloadSummary } from '../../../scripts/bench/gateway/targets.js';

/** A run where ours meets every target on a machine exactly as fast as the (1.4 ms straight to the subgraph). */
function passingRun(): RunFigures {
  const entry = (workload: string, connections: number, gateway: GatewayName, summary: Partial<WorkloadSummary>) => ({
    workload,
    connections,
    gateway,
    summary: { requestsPerSecond: 100, gatewayCpuPerRequest: 1, subgraphCpuPerFetch: 0.8, rssMb: 200, ...summary },
  });
  return {
    summaries: [
      ...[20, 50].flatMap((connections) => [
        entry('W1', connections, 'ours', { requestsPerSecond: 130, gatewayCpuPerRequest: 1.8 }),
        entry('W1', connections, 'hive', { requestsPerSecond: 100, rssMb: 900 }),
        entry('W2', connections, 'ours', { requestsPerSecond: 125, gatewayCpuPerRequest: 4.2 }),
        entry('W2', connections, 'hive', {}),
      ]),
      entry('W3', 50, 'ours', { requestsPerSecond: 160, subgraphCpuPerFetch: 0.9 }),
      entry('W3', 50, 'hive', { requestsPerSecond: 120 }),
      entry('W3', 50, 'hive-no-dedup', { requestsPerSecond: 100 }),
      entry('W4', 20, 'ours', { subgraphCpuPerFetch: 0.95 }),
    ],
    directP50: 1.4,
    gatewayP50: { ours: 2.8, hive: 9 },
  };
}

const verdicts = (run: RunFigures) => Object.fromEntries(judgeTargets(run).map(({ target, met }) => [target, met]));

describe('bench:gateway: judging the issue’s targets on one run', () => {
  it('meets every target when each figure is within its bound', () => {
    expect(Object.values(verdicts(passingRun()))).toEqual(Array(9).fill(true));
  });

  it('fails a throughput target when one connection count falls short, and judges W3 against each Hive on its own', () => {
    const run = passingRun();
    const slow = run.summaries.find((entry) => entry.workload === 'W1' && entry.connections === 50 && entry.gateway === 'ours');
    if (slow) slow.summary.requestsPerSecond = 119;
    const w3 = run.summaries.find((entry) => entry.workload === 'W3' && entry.gateway === 'hive-no-dedup');
    if (w3) w3.summary.requestsPerSecond = 110; // ours ÷ dedup off 1.45, still 1.33 ÷ stock
    expect(verdicts(run)).toMatchObject({
      'W1 req/s ÷ Hive stock, each connection count': false,
      'W3 req/s ÷ Hive, dedup off': false,
      'W3 req/s ÷ Hive stock': true,
    });
  });

  it('scales the millisecond targets by the run’s straight-to-the-subgraph p50, and never the memory target', () => {
    const run = passingRun();
    for (const entry of run.summaries) if (entry.gateway === 'ours') entry.summary.subgraphCpuPerFetch *= 2;
    run.gatewayP50 = { ours: 5.7 }; // 4.3 ms added to 1.4, 2.9 to 2.8
    expect(verdicts(run)['subgraph CPU ms per fetch (W3, W4)']).toBe(false);
    expect(verdicts(run)['router-added p50 ms, one connection, one fetch']).toBe(false);

    // The same figures on a machine twice as slow as the meet them.
    run.directP50 = 2.8;
    expect(machineScale(run.directP50)).toBeCloseTo(2);
    expect(verdicts(run)['subgraph CPU ms per fetch (W3, W4)']).toBe(true);
    expect(verdicts(run)['router-added p50 ms, one connection, one fetch']).toBe(true);

    const heavy = run.summaries.find((entry) => entry.workload === 'W3' && entry.gateway === 'ours');
    if (heavy) heavy.summary.rssMb = 251;
    expect(verdicts(run)['router RSS MB after the load (the most of any workload)']).toBe(false);
  });

  it('says a target was not measured when the run left out what it needs', () => {
    const run = passingRun();
    run.summaries = run.summaries.filter((entry) => entry.gateway === 'ours');
    run.gatewayP50 = {};
    expect(verdicts(run)).toMatchObject({
      'W1 req/s ÷ Hive stock, each connection count': undefined,
      'W3 req/s ÷ Hive, dedup off': undefined,
      'router-added p50 ms, one connection, one fetch': undefined,
      'router RSS MB after the load (the most of any workload)': true,
    });
  });
});
