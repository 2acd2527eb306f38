/** Delivers a subgraph's outgoing mail: right after a committing write, and by polling for what is due. */
import { Counter, type Registry } from 'prom-client';
import { DrainLoop } from '../background/drain-loop.js';
import { backoffDelay, type RetryDelays } from '../background/retry.js';
import type { Logger } from '../observability/logger.js';
import type { ClaimedMail, MailQueue } from './store.js';
import { MailDeliveryError, SMTP_SEND_TIMEOUT_MS, type MailTransport } from './transport.js';

export interface MailRetryPolicy {
  /** Attempts per message before it is marked failed (MAIL_MAX_ATTEMPTS). */
  maxAttempts: number;
  /** The wait after the first failed attempt, doubling up to maxMs (MAIL_RETRY_INITIAL_MS, MAIL_RETRY_MAX_MS). */
  delays: RetryDelays;
}

export interface MailRelayOptions {
  retry: MailRetryPolicy;
  /** How often due messages nobody flushed are looked for (MAIL_POLL_INTERVAL_MS). */
  pollIntervalMs?: number;
  /** Messages claimed, and sent concurrently, at a time. */
  batchSize?: number;
  /** How long a claimed message stays this relay's; longer than a send can take (SMTP_SEND_TIMEOUT_MS). */
  leaseMs?: number;
  deliveries?: Counter<'outcome'>;
}

/** Counts delivery attempts by outcome: sent, retrying (failed, due again later), failed (given up). */
export function mailDeliveriesCounter(registry: Registry): Counter<'outcome'> {
  return new Counter({
    name: 'mail_delivery_attempts_total',
    help: 'Outgoing mail delivery attempts, by outcome (sent, retrying, failed: given up).',
    labelNames: ['outcome'],
    registers: [registry],
  });
}

/**
 * Moves due messages from the queue to the transport: on `flush()` (or `wake()`, its fire-and-forget form,
 * right after a write committed) and every pollIntervalMs. A failed attempt is recorded and retried with
 * exponential backoff until maxAttempts; a permanent refusal (SMTP 5xx) is not retried. Flushes of one relay
 * never overlap; several relays (processes) share the queue safely.
 */
export class MailRelay {
  private readonly loop: DrainLoop;
  private readonly retry: MailRetryPolicy;
  private readonly batchSize: number;
  private readonly leaseMs: number;
  private readonly deliveries: Counter<'outcome'> | undefined;
  private sendsFailing = false;

  constructor(
    private readonly queue: MailQueue,
    private readonly transport: MailTransport,
    private readonly logger: Logger,
    options: MailRelayOptions,
  ) {
    this.retry = options.retry;
    this.loop = new DrainLoop(() => this.deliverDue(), logger, { work: 'delivering outgoing mail', pollIntervalMs: options.pollIntervalMs ?? 1_000 });
    this.batchSize = options.batchSize ?? 10;
    this.leaseMs = options.leaseMs ?? 2 * SMTP_SEND_TIMEOUT_MS;
    this.deliveries = options.deliveries;
  }

  start(): void {
    this.loop.start();
  }

  /**
   * Delivers every message due so far, now; resolves once each was sent or its failure recorded. Rejects
   * only when the queue (the database) fails.
   */
  flush(): Promise<void> {
    return this.loop.flush();
  }

  /** `flush()` without waiting for it, for right after a transaction that enqueued mail committed. */
  wake(): void {
    this.loop.wake();
  }

  stop(): Promise<void> {
    return this.loop.stop();
  }

  private async deliverDue(): Promise<void> {
    let claimed: ClaimedMail[];
    do {
      claimed = await this.queue.claimDue(this.batchSize, this.leaseMs);
      const outcomes = await Promise.allSettled(claimed.map((mail) => this.deliver(mail)));
      const failure = outcomes.find((outcome) => outcome.status === 'rejected');
      if (failure) throw failure.reason;
    } while (claimed.length === this.batchSize && !this.loop.stopped);
  }

  private async deliver(mail: ClaimedMail): Promise<void> {
    const attempt = mail.attempts + 1;
    let response: string | undefined;
    try {
      ({ response } = await this.transport.send(mail));
    } catch (error) {
      const failure = error instanceof MailDeliveryError ? error : new MailDeliveryError(String(error), false, undefined, { cause: error });
      const givingUp = failure.permanent || attempt >= this.retry.maxAttempts;
      const retryInMs = givingUp ? null : backoffDelay(attempt - 1, this.retry.delays);
      await this.queue.recordFailure(mail, { error: failure.message, smtpResponse: failure.smtpResponse, retryInMs });
      this.deliveries?.inc({ outcome: givingUp ? 'failed' : 'retrying' });
      const about = { mailId: mail.id, kind: mail.kind, attempt, error: failure.message };
      if (givingUp) {
        this.logger.error({ ...about, permanent: failure.permanent }, 'outgoing mail failed; giving up on it');
      } else if (!this.sendsFailing) {
        // One error line per SMTP outage; the attempts themselves are in mail_delivery_attempts.
        this.logger.error({ ...about, retryInMs }, 'sending mail failed; will retry');
      } else {
        this.logger.debug({ ...about, retryInMs }, 'sending mail failed again; will retry');
      }
      // A permanent refusal is about one message: the server itself answered.
      if (!failure.permanent) this.sendsFailing = true;
      return;
    }
    await this.queue.recordSent(mail, response);
    this.deliveries?.inc({ outcome: 'sent' });
    if (this.sendsFailing) this.logger.info('sending mail works again');
    this.sendsFailing = false;
  }
}
