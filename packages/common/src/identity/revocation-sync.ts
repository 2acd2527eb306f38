/**
 * The router's list of revoked access tokens, in memory: announcements (Redis pub/sub) bring a revocation from the
 * next request on; a pull from the auth subgraph's record every few seconds covers announcements missed while Redis
 * was away or flushed. Past a longer bound with neither, the router can no longer vouch for a token.
 */
import type { Logger } from '../observability/logger.js';
import { ROUTER_CREDENTIAL_HEADER, signRouterCredential } from './router-credential.js';
import { RevocationList, revocationSchema, type RevocationChannel, type TokenToCheck } from './revocations.js';
import { z } from 'zod';

/** Pulls ask again for what was recorded this long before the last answer: transactions may commit late. */
const PULL_OVERLAP_MS = 10_000;
const PULL_TIMEOUT_MS = 3_000;
/** How long a check waits for a pull while none has succeeded yet (a router that just started). */
const FIRST_SYNC_WAIT_MS = 3_000;

const feedAnswer = z.object({ asOf: z.number(), revocations: z.array(revocationSchema) });

export interface RevocationSyncOptions {
  /** The auth subgraph's /internal/revocations. */
  feedUrl: string;
  routerSecret: string;
  channel: RevocationChannel;
  pullIntervalMs: number;
  /** Past this without a pull (and without a channel connected since the last one), signed-in requests get 503. */
  maxStalenessMs: number;
  logger: Logger;
}

export class RevocationsUnavailable extends Error {}

export class RevocationSync {
  private readonly list = new RevocationList();
  private lastPullAt: number | undefined;
  /** The server instant of the last pull's answer: the next pull asks from here, less the overlap. */
  private asOf: number | undefined;
  /** Since when the channel has been connected without interruption; undefined while it is not. */
  private channelConnectedSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopListening: (() => Promise<void>) | undefined;
  private pulling: Promise<void> | undefined;
  private pullFailing = false;

  constructor(private readonly options: RevocationSyncOptions) {}

  start(): void {
    if (this.timer) return;
    this.stopListening = this.options.channel.listen({
      revoked: (revocations) => this.list.apply(revocations),
      connection: (connected) => {
        if (!connected) {
          this.channelConnectedSince = undefined;
          return;
        }
        this.channelConnectedSince = Date.now();
        // Announcements made while it was away are in the record.
        void this.pull();
      },
    });
    void this.pull();
    this.timer = setInterval(() => {
      this.list.prune();
      void this.pull();
    }, this.options.pullIntervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.stopListening?.();
    await this.pulling;
  }

  /**
   * Whether the token is revoked: a lookup in memory. Throws RevocationsUnavailable when the list may be missing
   * revocations (no pull for maxStalenessMs and no announcements heard since the last one).
   */
  async isRevoked(token: TokenToCheck): Promise<boolean> {
    // Until a pull succeeds, each check waits for one (a new one if the first failed, say on a busy start), so a
    // router that just started refuses only while the record stays out of reach.
    if (this.lastPullAt === undefined) await Promise.race([this.pull(), sleep(FIRST_SYNC_WAIT_MS)]);
    if (!this.canVouch()) throw new RevocationsUnavailable('the revocation list could not be brought up to date');
    return this.list.isRevoked(token);
  }

  /** Whether the list holds every revocation recorded up to a bounded time ago. */
  canVouch(now = Date.now()): boolean {
    if (this.lastPullAt === undefined) return false;
    if (now - this.lastPullAt <= this.options.maxStalenessMs) return true;
    return this.channelConnectedSince !== undefined && this.channelConnectedSince <= this.lastPullAt;
  }

  /** Pulls the record now (one pull at a time); failures are logged once per outage. */
  pull(): Promise<void> {
    this.pulling ??= this.pullOnce().finally(() => {
      this.pulling = undefined;
    });
    return this.pulling;
  }

  private async pullOnce(): Promise<void> {
    const since = this.asOf === undefined ? '' : `?since=${this.asOf - PULL_OVERLAP_MS}`;
    try {
      const credential = await signRouterCredential(this.options.routerSecret, { identity: null, clientIp: null, userAgent: null });
      const response = await fetch(`${this.options.feedUrl}${since}`, {
        headers: { [ROUTER_CREDENTIAL_HEADER]: credential },
        signal: AbortSignal.timeout(PULL_TIMEOUT_MS),
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const answer = feedAnswer.parse(await response.json());
      this.list.apply(answer.revocations);
      this.asOf = answer.asOf;
      this.lastPullAt = Date.now();
      if (this.pullFailing) this.options.logger.info('revocation record reachable again');
      this.pullFailing = false;
    } catch (error) {
      if (!this.pullFailing) this.options.logger.warn({ err: error, dependency: 'auth' }, 'could not pull the revocation record; will retry');
      this.pullFailing = true;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
