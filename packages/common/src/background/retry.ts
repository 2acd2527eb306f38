/** The timing pieces of background work: shared runs, interruptible waits, exponential backoff. */
/**
 * Runs a task so that concurrent callers share work: a call made while a run is in progress waits for one
 * more run that starts after it, so every caller is answered by a run that began after its call.
 */
export class Coalescer {
  private running: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly task: () => Promise<void>) {}

  run(): Promise<void> {
    if (this.queued) return this.queued;
    if (!this.running) return this.start();
    const queued = this.running
      .then(
        () => undefined,
        () => undefined,
      )
      .then(() => {
        this.queued = undefined;
        return this.start();
      });
    this.queued = queued;
    return queued;
  }

  /** Resolves once no run is in progress or queued. */
  async idle(): Promise<void> {
    while (this.running ?? this.queued) await (this.queued ?? this.running)?.catch(() => undefined);
  }

  private start(): Promise<void> {
    const running = this.task().finally(() => {
      if (this.running === running) this.running = undefined;
    });
    this.running = running;
    return running;
  }
}

/** A delay that `interrupt()` cuts short, so stopping never waits out a backoff. */
export class InterruptibleSleep {
  private readonly wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  interrupt(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

export interface RetryDelays {
  initialMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY_DELAYS: RetryDelays = { initialMs: 100, maxMs: 30_000 };

export function backoffDelay(attempt: number, { initialMs, maxMs }: RetryDelays): number {
  return Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
}
