/** Background work that drains a queue of its subgraph's own (the event outbox, outgoing mail). */
import type { Logger } from '../observability/logger.js';
import { Coalescer } from './retry.js';

export interface DrainLoopOptions {
  /** Names the work in log lines, e.g. "publishing domain events". */
  work: string;
  /** How often it drains what nobody flushed (written just before a crash, or due for a retry). */
  pollIntervalMs: number;
}

/**
 * Runs `drain` on `flush()` (right after a write committed) and every pollIntervalMs. Runs never overlap, so
 * a queue drains in order; a failing run is logged once per outage, not once per poll. The event relay and
 * the mail courier are both this loop around their own drain.
 */
export class DrainLoop {
  private readonly runs: Coalescer;
  private timer: NodeJS.Timeout | undefined;
  private stopping = false;
  private failing = false;

  constructor(
    drain: () => Promise<void>,
    private readonly logger: Logger,
    private readonly options: DrainLoopOptions,
  ) {
    this.runs = new Coalescer(drain);
  }

  get stopped(): boolean {
    return this.stopping;
  }

  start(): void {
    if (this.stopping || this.timer) return;
    this.schedulePoll();
  }

  /** Drains now; resolves once a run that started after this call finished, rejects when it failed. */
  flush(): Promise<void> {
    return this.runs.run();
  }

  /** `flush()` without waiting for it; a failure is logged as a polled run's would be. */
  wake(): void {
    void this.flushAndReport();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.runs.idle();
  }

  private schedulePoll(): void {
    this.timer = setTimeout(() => {
      void this.flushAndReport().finally(() => {
        if (!this.stopping) this.schedulePoll();
      });
    }, this.options.pollIntervalMs);
    this.timer.unref();
  }

  private flushAndReport(): Promise<void> {
    return this.flush().then(
      () => {
        if (this.failing) this.logger.info(`${this.options.work} works again`);
        this.failing = false;
      },
      (error: unknown) => {
        if (!this.failing) this.logger.error({ err: error }, `${this.options.work} failed; will keep trying`);
        this.failing = true;
      },
    );
  }
}
