import { randomBytes } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { loadRouterConfig } from '@pyairtable/router/config';
import { configProblems } from '../../support/config-problems.js';

const BASE = { REDIS_URL: 'redis://redis:6379', ROUTER_SHARED_SECRET: randomBytes(32).toString('hex'), NODE_ENV: 'production' };

describe('HEAP_GROWING_PERCENT (the router process’s V8 heap growth)', () => {
  it('is 50 unless set: the heap may grow to one and a half times what was live, not V8’s four times', () => {
    expect(loadRouterConfig(BASE).HEAP_GROWING_PERCENT).toBe(50);
    expect(loadRouterConfig({ ...BASE, HEAP_GROWING_PERCENT: '0' }).HEAP_GROWING_PERCENT).toBe(0);
  });

  it.each(['-1', 'lots', '1.5', '5000'])('refuses %s, naming the setting', (value) => {
    expect(configProblems(loadRouterConfig, { ...BASE, HEAP_GROWING_PERCENT: value })).toEqual([expect.stringMatching(/^HEAP_GROWING_PERCENT:/)]);
  });
});
