// The durable record of revoked access tokens (token_revocations): what routers pull to rebuild their lists.
import type { Revocation } from '@pyairtable/common/identity';
import type { AuthDatabase } from './database.js';

export class RevocationRecords {
  constructor(private readonly database: AuthDatabase) {}

  async record(revocations: readonly Revocation[], recordedAt: Date): Promise<void> {
    if (revocations.length === 0) return;
    await this.database.tokenRevocation.createMany({
      data: revocations.map((revocation) =>
        revocation.kind === 'session'
          ? { sessionId: revocation.sessionId, createdAt: recordedAt, expiresAt: new Date(revocation.expiresAt) }
          : {
              userId: revocation.userId,
              issuedBefore: new Date(revocation.issuedBefore),
              createdAt: recordedAt,
              expiresAt: new Date(revocation.expiresAt),
            },
      ),
    });
  }

  /** Revocations still in force, all of them or those recorded since `recordedSince`. */
  async inForce(now: Date, recordedSince?: Date): Promise<Revocation[]> {
    const rows = await this.database.tokenRevocation.findMany({
      where: { expiresAt: { gt: now }, ...(recordedSince ? { createdAt: { gte: recordedSince } } : {}) },
      orderBy: { id: 'asc' },
    });
    return rows.flatMap((row): Revocation[] => {
      const expiresAt = row.expiresAt.getTime();
      if (row.sessionId) return [{ kind: 'session', sessionId: row.sessionId, expiresAt }];
      if (row.userId && row.issuedBefore) return [{ kind: 'issued-before', userId: row.userId, issuedBefore: row.issuedBefore.getTime(), expiresAt }];
      return [];
    });
  }

  /** Deletes the rows whose tokens have all expired; returns how many. */
  async purgeExpired(now: Date): Promise<number> {
    const { count } = await this.database.tokenRevocation.deleteMany({ where: { expiresAt: { lte: now } } });
    return count;
  }
}
