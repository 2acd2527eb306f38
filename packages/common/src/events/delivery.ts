import { backoffDelay, type InterruptibleSleep, type RetryDelays } from '../background/retry.js';
import type { Logger } from '../observability/logger.js';
import type { DomainEvent } from './domain-events.js';
import type { DomainEventHandler } from './subscription.js';

export interface RetryScope {
  group: string;
  logger: Logger;
  delays: RetryDelays;
  sleeper: InterruptibleSleep;
  isStopped: () => boolean;
}

/**
 * Applies an event, retrying with exponential backoff while the handler throws. Later events wait: a
 * consumer applies in stream order. Resolves true once applied, false when the consumer stopped first.
 */
export async function applyWithRetry(handler: DomainEventHandler, event: DomainEvent, scope: RetryScope): Promise<boolean> {
  for (let attempt = 0; ; attempt += 1) {
    try {
      await handler.apply(event);
      return true;
    } catch (error) {
      const delayMs = backoffDelay(attempt, scope.delays);
      scope.logger.error(
        { err: error, group: scope.group, eventId: event.id, eventType: event.type, attempt: attempt + 1, retryInMs: delayMs },
        'domain event handler failed; retrying',
      );
      if (scope.isStopped()) return false;
      await scope.sleeper.sleep(delayMs);
      if (scope.isStopped()) return false;
    }
  }
}
