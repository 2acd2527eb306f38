import type { AuthDatabase } from './database.js';
import type { NewSession } from './user-store.js';

/** A new session with its first refresh token, as Prisma creates it (nested under a user, or with its userId). */
export function sessionRecord(session: NewSession) {
  return {
    expiresAt: session.expiresAt,
    userAgent: session.userAgent,
    ipAddress: session.ipAddress,
    refreshTokens: { create: { tokenHash: session.refreshTokenHash, expiresAt: session.expiresAt } },
  };
}

export class SessionStore {
  constructor(private readonly database: AuthDatabase) {}

  async create(userId: string, session: NewSession): Promise<string> {
    const created = await this.database.session.create({
      data: { userId, ...sessionRecord(session) },
      select: { id: true },
    });
    return created.id;
  }

  findRefreshToken(tokenHash: string) {
    return this.database.refreshToken.findUnique({
      where: { tokenHash },
      include: { session: { include: { user: true } } },
    });
  }

  /**
   * Marks a refresh token used and issues its successor, atomically. Returns false when another request
   * rotated it first: that is reuse, and the caller revokes the family.
   */
  rotate(tokenId: string, sessionId: string, successor: { tokenHash: string; expiresAt: Date }): Promise<boolean> {
    return this.database.$transaction(async (transaction) => {
      const now = new Date();
      const { count } = await transaction.refreshToken.updateMany({
        where: { id: tokenId, rotatedAt: null },
        data: { rotatedAt: now },
      });
      if (count === 0) return false;
      await transaction.refreshToken.create({ data: { sessionId, ...successor } });
      await transaction.session.update({ where: { id: sessionId }, data: { lastUsedAt: now, expiresAt: successor.expiresAt } });
      return true;
    });
  }

  async revoke(sessionIds: string[], reason: string): Promise<void> {
    await this.database.session.updateMany({
      where: { id: { in: sessionIds }, revokedAt: null },
      data: { revokedAt: new Date(), revokedReason: reason },
    });
  }

  /** Revokes every active session of a user but `keepSessionId`; returns the ids revoked. */
  async revokeAllOfUser(userId: string, reason: string, keepSessionId?: string): Promise<string[]> {
    const sessions = await this.database.session.findMany({
      where: { userId, revokedAt: null, ...(keepSessionId ? { id: { not: keepSessionId } } : {}) },
      select: { id: true },
    });
    const ids = sessions.map((session) => session.id);
    await this.revoke(ids, reason);
    return ids;
  }

  findOwnedBy(sessionId: string, userId: string) {
    return this.database.session.findFirst({ where: { id: sessionId, userId } });
  }

  listActive(userId: string) {
    return this.database.session.findMany({
      where: { userId, revokedAt: null, expiresAt: { gt: new Date() } },
      orderBy: [{ lastUsedAt: 'desc' }, { id: 'desc' }],
    });
  }
}
