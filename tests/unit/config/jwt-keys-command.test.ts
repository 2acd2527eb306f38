/**
 * The README's ways of making JWT_KEYS give a value the auth subgraph accepts in production, and the one-liner
 * works in any folder (it needs no package of this repository).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from '@jest/globals';
import { loadAuthConfig } from '@pyairtable/auth-subgraph/config';
import { configProblems } from '../../support/config-problems.js';

const root = new URL('../../..', import.meta.url).pathname;
const readme = readFileSync(`${root}README.md`, 'utf8');

function acceptedInProduction(jwtKeys: string): string[] {
  return configProblems(loadAuthConfig, {
    NODE_ENV: 'production',
    DATABASE_URL: 'postgresql://user@postgres:5432/pyairtable',
    REDIS_URL: 'redis://redis:6379',
    SMTP_URL: 'smtp://mail.example.test:25',
    ROUTER_SHARED_SECRET: randomBytes(32).toString('hex'),
    JWT_KEYS: jwtKeys,
  });
}

describe('making JWT_KEYS', () => {
  it('npm run keys:generate prints a signing key the auth subgraph accepts', () => {
    const printed = execFileSync(process.execPath, ['scripts/keys/generate-jwt-keys.mjs'], { cwd: root, encoding: 'utf8' });
    expect(acceptedInProduction(printed.trim())).toEqual([]);
    expect(JSON.parse(printed)).toEqual([expect.objectContaining({ kid: expect.stringMatching(/^key-\d{4}-\d{2}-\d{2}$/), d: expect.any(String) })]);
  });

  it('every `node -e` one-liner in the README for JWT_KEYS works outside the repository', () => {
    const oneLiners = [...readme.matchAll(/^(?:`)?node -e "(.*generateKeyPairSync.*)"(?:`)?/gm)].map(([, script]) => script ?? '');
    expect(oneLiners.length).toBeGreaterThanOrEqual(1);
    for (const script of oneLiners) {
      const printed = execFileSync(process.execPath, ['-e', script], { cwd: tmpdir(), encoding: 'utf8' });
      expect(acceptedInProduction(printed.trim())).toEqual([]);
    }
  });
});
