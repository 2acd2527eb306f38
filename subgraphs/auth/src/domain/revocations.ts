// Revoking access tokens: recorded in the database first (the record routers rebuild from), then announced.
import type { Revocation, RevocationChannel, RevocationStore } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { RevocationRecords } from '../data/revocation-records.js';

export class DurableRevocations implements RevocationStore {
  constructor(
    private readonly records: RevocationRecords,
    private readonly channel: RevocationChannel,
    /** How long a revocation must be remembered: as long as a token issued just before it stays valid. */
    private readonly ttlSeconds: number,
    private readonly logger: Logger,
  ) {}

  revokeSessions(sessionIds: string[]): Promise<void> {
    const expiresAt = Date.now() + this.ttlSeconds * 1000;
    return this.revoke(sessionIds.map((sessionId) => ({ kind: 'session', sessionId, expiresAt })));
  }

  invalidateTokensIssuedBefore(userId: string, issuedBefore: number): Promise<void> {
    return this.revoke([{ kind: 'issued-before', userId, issuedBefore, expiresAt: issuedBefore + this.ttlSeconds * 1000 }]);
  }

  private async revoke(revocations: Revocation[]): Promise<void> {
    if (revocations.length === 0) return;
    await this.records.record(revocations, new Date());
    // Routers that miss the announcement (Redis away) find the revocation at their next pull.
    try {
      await this.channel.announce(revocations);
    } catch (error) {
      this.logger.warn({ err: error, dependency: 'redis' }, 'could not announce a revocation; routers will pull it');
    }
  }
}
