import { isRedisUnavailable } from '../data/database-errors.js';
import { ERRORS } from '../errors/registry.js';
import type { Logger } from '../observability/logger.js';

/** What to do when catching up itself fails: answer from what is applied, or refuse with SERVICE_UNAVAILABLE. */
export type WhenCatchUpFails = 'answer' | 'refuse';

/**
 * Read-your-writes across subgraphs. Another subgraph's change reaches this one as a domain event a moment
 * later, so a miss (an account not known yet) may only be late: apply what is already published, then look
 * once more. Every "miss, catch up, retry" goes through here.
 */
export class EventCatchUp {
  constructor(
    private readonly catchUp: () => Promise<void>,
    private readonly logger: Logger,
  ) {}

  async retryOnMiss<T>(attempt: () => Promise<T>, isMiss: (answer: T) => boolean, whenCatchUpFails: WhenCatchUpFails): Promise<T> {
    const first = await attempt();
    if (!isMiss(first)) return first;
    try {
      await this.catchUp();
    } catch (error) {
      if (whenCatchUpFails === 'answer') {
        this.logger.warn({ err: error }, 'could not catch up with domain events; answering from what is applied');
        return first;
      }
      if (isRedisUnavailable(error)) {
        this.logger.warn({ err: error, dependency: 'redis' }, 'could not catch up with domain events');
        throw ERRORS.SERVICE_UNAVAILABLE('Accounts cannot be looked up right now (Redis is unavailable); try again shortly');
      }
      this.logger.error({ err: error }, 'could not catch up with domain events');
      throw ERRORS.SERVICE_UNAVAILABLE('Accounts cannot be looked up right now; try again shortly');
    }
    return attempt();
  }
}
