/**
 * Secrets in the settings: production refuses the placeholders of .env.example and guessable values of
 * ROUTER_SHARED_SECRET in every service, and JWT_KEYS whose key material is not a usable EC P-256 key.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { secretProblem } from '@pyairtable/common/config';
import { SUBGRAPHS, loadSubgraph } from '@pyairtable/common/subgraphs';
import { loadAuthConfig } from '@pyairtable/auth-subgraph/config';
import { loadRouterConfig } from '@pyairtable/router/config';
import { configProblems as problemsOf } from '../../support/config-problems.js';

const envExample = readFileSync(new URL('../../../.env.example', import.meta.url), 'utf8');
/** A setting as .env.example ships it. */
const shipped = (setting: string): string => new RegExp(`^${setting}=(.*)$`, 'm').exec(envExample)?.[1] ?? '';

function signingJwk(kid: string) {
  return { kid, ...generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }) };
}

const strongSecret = (): string => randomBytes(32).toString('hex');

/** Everything each service needs but the secret under test. */
const BASE = {
  DATABASE_URL: 'postgresql://user@postgres:5432/pyairtable',
  REDIS_URL: 'redis://redis:6379',
  SMTP_URL: 'smtp://mail.example.test:25',
  JWT_KEYS: JSON.stringify([signingJwk('key-1')]),
};

/** The router and every registered subgraph, by name: each must refuse a weak ROUTER_SHARED_SECRET. */
const LOADERS: Record<string, (env: NodeJS.ProcessEnv) => unknown> = {
  router: loadRouterConfig,
  ...Object.fromEntries(
    await Promise.all(
      SUBGRAPHS.map(async ({ name }) => {
        const subgraph = await loadSubgraph(name);
        return [name, (env: NodeJS.ProcessEnv) => subgraph.loadConfig(env)] as const;
      }),
    ),
  ),
};

const aboutSetting = (problems: string[], setting: string) => problems.filter((problem) => problem.startsWith(`${setting}:`));

describe('ROUTER_SHARED_SECRET in production', () => {
  const refused = [
    ['the placeholder of .env.example', shipped('ROUTER_SHARED_SECRET')],
    ['another change-me value', 'CHANGE_ME-please-0123456789abcdefghijklmnopqrstuvwxyz'],
    ['one character repeated', 'x'.repeat(64)],
    ['two characters alternating', 'ab'.repeat(32)],
    ['a word repeated', 'password'.repeat(5)],
  ];

  it('.env.example ships a placeholder (what the first case checks)', () => {
    expect(shipped('ROUTER_SHARED_SECRET')).toContain('change-me');
  });

  it.each(Object.entries(LOADERS))('%s: refuses placeholders and guessable values, naming the setting', (_service, load) => {
    for (const [kind, secret] of refused) {
      const problems = aboutSetting(problemsOf(load, { ...BASE, NODE_ENV: 'production', ROUTER_SHARED_SECRET: secret }), 'ROUTER_SHARED_SECRET');
      expect([kind, problems]).toEqual([kind, [expect.stringMatching(/placeholder|guessable/)]]);
    }
  });

  it.each(Object.entries(LOADERS))('%s: accepts random values (hex and base64), and anything outside production', (_service, load) => {
    for (const secret of [strongSecret(), randomBytes(32).toString('base64'), randomBytes(32).toString('base64url')]) {
      expect(problemsOf(load, { ...BASE, NODE_ENV: 'production', ROUTER_SHARED_SECRET: secret })).toEqual([]);
    }
    for (const NODE_ENV of ['development', 'test']) {
      for (const [, secret] of refused) expect(problemsOf(load, { ...BASE, NODE_ENV, ROUTER_SHARED_SECRET: secret })).toEqual([]);
    }
  });

  it('the rule: no change-me, and at least 128 bits by the characters’ own frequencies', () => {
    expect(secretProblem('0123456789abcdef'.repeat(2))).toBeUndefined(); // 32 × 4 bits
    expect(secretProblem('0123456789abcde'.repeat(2) + '01')).toMatch(/guessable/); // just under
    expect(secretProblem(`${strongSecret()}-changeme`)).toMatch(/placeholder/);
  });
});

describe('JWT_KEYS', () => {
  const refusedKeys = (keys: unknown[], NODE_ENV = 'production') =>
    aboutSetting(problemsOf(loadAuthConfig, { ...BASE, NODE_ENV, ROUTER_SHARED_SECRET: strongSecret(), JWT_KEYS: JSON.stringify(keys) }), 'JWT_KEYS');

  it('accepts real keys: a signing key and an older public one', () => {
    const { d: _private, ...older } = signingJwk('key-0');
    expect(refusedKeys([signingJwk('key-1'), older])).toEqual([]);
  });

  it('refuses .env.example’s placeholder, in any mode, as a named setting', () => {
    for (const NODE_ENV of ['production', 'development']) {
      expect(aboutSetting(problemsOf(loadAuthConfig, { ...BASE, NODE_ENV, JWT_KEYS: shipped('JWT_KEYS') }), 'JWT_KEYS')).toEqual([
        expect.stringMatching(/key "change-me" is not a usable EC P-256 key/),
      ]);
    }
  });

  it('refuses a point off the curve, a private part that belongs to another key, and a truncated one', () => {
    const key = signingJwk('key-1');
    const other = signingJwk('key-2');
    const { d: _private, ...publicOnly } = signingJwk('key-0');
    expect(refusedKeys([key, { ...publicOnly, y: other.y }])).toEqual([expect.stringMatching(/key "key-0" is not a usable EC P-256 key/)]);
    expect(refusedKeys([{ ...key, d: other.d }])).toEqual([
      expect.stringMatching(/key "key-1": its private part "d" does not belong to its "x" and "y"/),
    ]);
    expect(refusedKeys([{ ...key, d: key.d?.slice(0, 20) }])).toEqual([expect.stringMatching(/key "key-1"/)]);
  });
});
