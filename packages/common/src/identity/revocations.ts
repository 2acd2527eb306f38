import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import { keyWithPrefix } from '../data/redis.js';
import type { Logger } from '../observability/logger.js';

/**
 * Access tokens are stateless, so revocation is a list the router checks on every request: revoked sessions,
 * and per user an instant before which tokens are stale (after a role change). The auth subgraph keeps the
 * durable record in its database; each router holds the live list in memory (RevocationList), kept current by
 * a broadcast (RevocationChannel) and by pulling the record. Entries live only as long as the tokens they
 * refuse could.
 */
export type Revocation =
  | { kind: 'session'; sessionId: string; expiresAt: number }
  /** Tokens of `userId` issued before `issuedBefore` (epoch milliseconds) are refused. */
  | { kind: 'issued-before'; userId: string; issuedBefore: number; expiresAt: number };

export const revocationSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('session'), sessionId: z.string().min(1), expiresAt: z.number() }),
  z.object({ kind: z.literal('issued-before'), userId: z.string().min(1), issuedBefore: z.number(), expiresAt: z.number() }),
]);

/** What the auth subgraph's rules call: records revocations durably, then tells every router. */
export interface RevocationStore {
  revokeSessions(sessionIds: string[]): Promise<void>;
  /** Tokens of this user issued before `issuedBefore` (epoch milliseconds) are refused. */
  invalidateTokensIssuedBefore(userId: string, issuedBefore: number): Promise<void>;
}

/** The access-token claim with the issue time in epoch milliseconds (iat has only seconds). */
export const ISSUED_AT_MS_CLAIM = 'iat_ms';

/** A token as the revocation list sees it: its session, its user and when it was issued (epoch milliseconds). */
export interface TokenToCheck {
  sessionId: string;
  userId: string;
  issuedAtMs: number;
}

/** The live set of revocations, in memory: checking a token costs two map lookups and no I/O. */
export class RevocationList {
  private readonly sessions = new Map<string, number>();
  private readonly cutoffs = new Map<string, { issuedBefore: number; expiresAt: number }>();

  apply(revocations: readonly Revocation[], now = Date.now()): void {
    for (const revocation of revocations) {
      if (revocation.expiresAt <= now) continue;
      if (revocation.kind === 'session') {
        this.sessions.set(revocation.sessionId, Math.max(revocation.expiresAt, this.sessions.get(revocation.sessionId) ?? 0));
        continue;
      }
      const current = this.cutoffs.get(revocation.userId);
      this.cutoffs.set(revocation.userId, {
        issuedBefore: Math.max(revocation.issuedBefore, current?.issuedBefore ?? 0),
        expiresAt: Math.max(revocation.expiresAt, current?.expiresAt ?? 0),
      });
    }
  }

  isRevoked({ sessionId, userId, issuedAtMs }: TokenToCheck): boolean {
    if (this.sessions.has(sessionId)) return true;
    const cutoff = this.cutoffs.get(userId);
    return cutoff !== undefined && issuedAtMs < cutoff.issuedBefore;
  }

  /** Forgets entries whose tokens have all expired. */
  prune(now = Date.now()): void {
    for (const [sessionId, expiresAt] of this.sessions) if (expiresAt <= now) this.sessions.delete(sessionId);
    for (const [userId, cutoff] of this.cutoffs) if (cutoff.expiresAt <= now) this.cutoffs.delete(userId);
  }

  get size(): number {
    return this.sessions.size + this.cutoffs.size;
  }
}

/** Hears of revocations as they are made, and of the channel going away or coming back. */
export interface RevocationListener {
  revoked(revocations: Revocation[]): void;
  /** `connected` false: announcements may be missed until it is true again (then pull the record). */
  connection(connected: boolean): void;
}

/** How the auth subgraph tells every router of a revocation the moment it is recorded. Best effort: routers also pull. */
export interface RevocationChannel {
  announce(revocations: readonly Revocation[]): Promise<void>;
  /** Returns a function that stops listening. */
  listen(listener: RevocationListener): () => Promise<void>;
}

/** Redis pub/sub: every router subscribes on a connection of its own. */
export class RedisRevocationChannel implements RevocationChannel {
  private readonly channel: string;

  constructor(
    private readonly redis: Redis,
    keyPrefix: string,
    private readonly logger: Logger,
  ) {
    this.channel = keyWithPrefix(keyPrefix, 'revocations');
  }

  async announce(revocations: readonly Revocation[]): Promise<void> {
    if (revocations.length === 0) return;
    await this.redis.publish(this.channel, JSON.stringify(revocations));
  }

  listen(listener: RevocationListener): () => Promise<void> {
    // A subscribed connection can do nothing else; it queues its SUBSCRIBE until connected, and ioredis
    // subscribes again after each reconnection.
    const subscriber = this.redis.duplicate({ enableOfflineQueue: true, connectionName: 'revocation-listener' });
    subscriber.on('error', (error: unknown) => this.logger.warn({ err: error, dependency: 'redis' }, 'revocation channel connection error'));
    subscriber.on('close', () => listener.connection(false));
    subscriber.on('message', (_channel: string, message: string) => {
      const parsed = z.array(revocationSchema).safeParse(safeJson(message));
      if (parsed.success) listener.revoked(parsed.data);
      else this.logger.warn('ignored a malformed revocation announcement');
    });
    subscriber.subscribe(this.channel).then(
      () => listener.connection(true),
      (error: unknown) => this.logger.warn({ err: error, dependency: 'redis' }, 'could not subscribe to revocations'),
    );
    // Ready again after a reconnection: ioredis resubscribes right after this event, and the listener pulls
    // what was announced while it was away.
    subscriber.on('ready', () => listener.connection(true));
    return async () => {
      subscriber.disconnect();
      await Promise.resolve();
    };
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The same channel in process memory, for the embedded development mode where no Redis runs. */
export class MemoryRevocationChannel implements RevocationChannel {
  private readonly emitter = new EventEmitter();

  announce(revocations: readonly Revocation[]): Promise<void> {
    this.emitter.emit('revoked', [...revocations]);
    return Promise.resolve();
  }

  listen(listener: RevocationListener): () => Promise<void> {
    const onRevoked = (revocations: Revocation[]) => listener.revoked(revocations);
    this.emitter.on('revoked', onRevoked);
    listener.connection(true);
    return () => {
      this.emitter.off('revoked', onRevoked);
      return Promise.resolve();
    };
  }
}
