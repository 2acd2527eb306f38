import { describe, expect, it } from '@jest/globals';
import { RevocationList } from '@pyairtable/common/identity';

const NOW = 1_800_000_000_000;
const token = (overrides: Partial<{ sessionId: string; userId: string; issuedAtMs: number }> = {}) => ({
  sessionId: 'session-1',
  userId: 'user-1',
  issuedAtMs: NOW - 1_000,
  ...overrides,
});

describe('the revocation list', () => {
  it('refuses a revoked session’s tokens and no other session’s', () => {
    const list = new RevocationList();
    list.apply([{ kind: 'session', sessionId: 'session-1', expiresAt: NOW + 60_000 }], NOW);
    expect(list.isRevoked(token())).toBe(true);
    expect(list.isRevoked(token({ sessionId: 'session-2' }))).toBe(false);
  });

  it('compares a cut-off with the issue time to the millisecond: a token issued one millisecond after it passes', () => {
    const list = new RevocationList();
    list.apply([{ kind: 'issued-before', userId: 'user-1', issuedBefore: NOW, expiresAt: NOW + 60_000 }], NOW);
    expect(list.isRevoked(token({ issuedAtMs: NOW - 1 }))).toBe(true);
    expect(list.isRevoked(token({ issuedAtMs: NOW }))).toBe(false);
    expect(list.isRevoked(token({ issuedAtMs: NOW + 1 }))).toBe(false);
    expect(list.isRevoked(token({ userId: 'user-2', issuedAtMs: NOW - 1 }))).toBe(false);
  });

  it('keeps the latest cut-off of a user, whatever order announcements and pulls bring them in', () => {
    const list = new RevocationList();
    list.apply([{ kind: 'issued-before', userId: 'user-1', issuedBefore: NOW, expiresAt: NOW + 60_000 }], NOW);
    list.apply([{ kind: 'issued-before', userId: 'user-1', issuedBefore: NOW - 5_000, expiresAt: NOW + 55_000 }], NOW);
    expect(list.isRevoked(token({ issuedAtMs: NOW - 1 }))).toBe(true);
  });

  it('forgets entries once the tokens they refuse have expired, and ignores ones already expired', () => {
    const list = new RevocationList();
    list.apply(
      [
        { kind: 'session', sessionId: 'session-1', expiresAt: NOW + 1_000 },
        { kind: 'session', sessionId: 'session-2', expiresAt: NOW - 1 },
      ],
      NOW,
    );
    expect(list.size).toBe(1);
    list.prune(NOW + 1_000);
    expect(list.size).toBe(0);
    expect(list.isRevoked(token())).toBe(false);
  });
});
