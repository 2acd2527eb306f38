import type { Redis } from 'ioredis';
import { keyWithPrefix } from '../data/redis.js';

/**
 * Access tokens are stateless, so revocation is a list the router checks on every request: revoked session
 * ids, and per user a time before which tokens are stale (after a role change). Entries live only as long as
 * the tokens they refuse could.
 */
export interface RevocationStore {
  revokeSessions(sessionIds: string[], ttlSeconds: number): Promise<void>;
  /** Tokens of this user issued before `issuedBefore` (epoch seconds) are refused. */
  invalidateTokensIssuedBefore(userId: string, issuedBefore: number, ttlSeconds: number): Promise<void>;
  /** Whether a token with this session, user and issue time must be refused. */
  isRevoked(token: { sessionId: string; userId: string; issuedAt: number }): Promise<boolean>;
  ping(): Promise<void>;
}

export class RedisRevocationStore implements RevocationStore {
  constructor(
    private readonly redis: Redis,
    private readonly keyPrefix: string,
  ) {}

  private sessionKey(sessionId: string): string {
    return keyWithPrefix(this.keyPrefix, 'revoked-session', sessionId);
  }

  private userKey(userId: string): string {
    return keyWithPrefix(this.keyPrefix, 'tokens-invalid-before', userId);
  }

  async revokeSessions(sessionIds: string[], ttlSeconds: number): Promise<void> {
    if (sessionIds.length === 0) return;
    const pipeline = this.redis.multi();
    for (const sessionId of sessionIds) pipeline.set(this.sessionKey(sessionId), '1', 'EX', ttlSeconds);
    await pipeline.exec();
  }

  async invalidateTokensIssuedBefore(userId: string, issuedBefore: number, ttlSeconds: number): Promise<void> {
    await this.redis.set(this.userKey(userId), String(issuedBefore), 'EX', ttlSeconds);
  }

  async isRevoked({ sessionId, userId, issuedAt }: { sessionId: string; userId: string; issuedAt: number }): Promise<boolean> {
    const [sessionRevoked, invalidBefore] = await this.redis.mget(this.sessionKey(sessionId), this.userKey(userId));
    return sessionRevoked !== null || (invalidBefore !== null && issuedAt < Number(invalidBefore));
  }

  async ping(): Promise<void> {
    await this.redis.ping();
  }
}

/** The same rules in process memory, for the embedded development mode where no Redis runs. */
export class MemoryRevocationStore implements RevocationStore {
  private readonly entries = new Map<string, { value: number; expiresAt: number }>();

  private set(key: string, value: number, ttlSeconds: number): void {
    this.entries.set(key, { value, expiresAt: Date.now() + ttlSeconds * 1000 });
  }

  private get(key: string): number | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= Date.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  revokeSessions(sessionIds: string[], ttlSeconds: number): Promise<void> {
    for (const sessionId of sessionIds) this.set(`session:${sessionId}`, 1, ttlSeconds);
    return Promise.resolve();
  }

  invalidateTokensIssuedBefore(userId: string, issuedBefore: number, ttlSeconds: number): Promise<void> {
    this.set(`user:${userId}`, issuedBefore, ttlSeconds);
    return Promise.resolve();
  }

  isRevoked({ sessionId, userId, issuedAt }: { sessionId: string; userId: string; issuedAt: number }): Promise<boolean> {
    const invalidBefore = this.get(`user:${userId}`);
    return Promise.resolve(this.get(`session:${sessionId}`) !== undefined || (invalidBefore !== undefined && issuedAt < invalidBefore));
  }

  /** Process memory is always reachable. */
  ping(): Promise<void> {
    return Promise.resolve();
  }
}
