import { RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import { ERRORS } from '../errors/registry.js';
import { parseWindow, type RateLimiterFactory } from './rate-limit.js';

/** How a FailureThrottle slows down repeated failures. */
export interface FailureThrottleSettings {
  /** Failures that cost nothing: a user mistyping a password a few times never waits. */
  freeFailures: number;
  /** The wait after the first failure past the free ones; each further failure doubles it... */
  firstDelaySeconds: number;
  /** ...up to this cap, so anyone who knows an address can slow its owner down but never lock them out for long. */
  maxDelaySeconds: number;
  /** How long failures are remembered without a success. */
  memorySeconds: number;
}

/** A duration setting such as "1s", "15m" or "1h", read as seconds. */
export function durationSetting(fallback: string) {
  return z
    .string()
    .trim()
    .regex(/^\d+[smhd]$/, 'must look like 30s, 15m, 1h or 1d')
    .prefault(fallback)
    .transform((duration) => parseWindow(duration));
}

function refusal(msBeforeNext: number) {
  const retryAfter = Math.max(1, Math.ceil(msBeforeNext / 1000));
  return ERRORS.RATE_LIMITED(`Too many failed attempts; try again in ${retryAfter} s`, { retryAfter });
}

/**
 * Progressive delays after repeated failures, the scheme of rate-limiter-flexible's ExpressBruteFlexible with a
 * doubling wait: the first `freeFailures` attempts pass; past them, one attempt passes per wait, and the wait doubles
 * after each, up to a cap. Every attempt counts when it is admitted (so concurrent guesses cannot slip through
 * together), and a success forgets them all: the owner signing in from a sixth device is never refused.
 */
export class FailureThrottle {
  private readonly free: RateLimiterAbstract;
  private readonly gate: RateLimiterAbstract;
  private readonly delaysServed: RateLimiterAbstract;

  constructor(
    createLimiter: RateLimiterFactory,
    name: string,
    private readonly settings: FailureThrottleSettings,
  ) {
    const { freeFailures, maxDelaySeconds, memorySeconds } = settings;
    this.free = createLimiter({ name: `${name}:free`, max: freeFailures, windowSeconds: memorySeconds });
    this.gate = createLimiter({ name: `${name}:gate`, max: 1, windowSeconds: maxDelaySeconds });
    this.delaysServed = createLimiter({ name: `${name}:delays`, max: Number.MAX_SAFE_INTEGER, windowSeconds: memorySeconds });
  }

  /** Lets an attempt by `subject` go ahead, or refuses it with RATE_LIMITED and the seconds to wait. */
  async admit(subject: string): Promise<void> {
    try {
      await this.free.consume(subject);
      return;
    } catch (rejection) {
      if (!(rejection instanceof RateLimiterRes)) throw rejection;
    }
    const closed = await this.gate.get(subject);
    if (closed && closed.consumedPoints > 0) throw refusal(closed.msBeforeNext);
    const served = (await this.delaysServed.get(subject))?.consumedPoints ?? 0;
    const { firstDelaySeconds, maxDelaySeconds } = this.settings;
    const delaySeconds = Math.min(maxDelaySeconds, firstDelaySeconds * 2 ** served);
    // Only the racer whose penalty opens the gate (its first point) goes ahead; the others wait with it.
    const opened = await this.gate.penalty(subject, 1, { customDuration: delaySeconds });
    if (opened.consumedPoints !== 1) throw refusal(opened.msBeforeNext);
    await this.delaysServed.penalty(subject, 1);
  }

  /** A success: `subject` starts afresh. */
  async forgive(subject: string): Promise<void> {
    await Promise.all([this.free.delete(subject), this.gate.delete(subject), this.delaysServed.delete(subject)]);
  }
}
