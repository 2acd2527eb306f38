import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { ERRORS } from '../errors/registry.js';
import type { SubgraphContextBase } from '../subgraphs/service.js';

export interface RateLimitPolicy {
  /** Names the counter, so two fields with equal numbers do not share one. */
  name: string;
  max: number;
  windowSeconds: number;
}

export type RateLimiterFactory = (policy: RateLimitPolicy) => RateLimiterAbstract;

/** Counters on Redis; rate-limiter-flexible increments and reads in one atomic step, so N racers cannot all pass. */
export function redisRateLimiters(redis: Redis, keyPrefix: string): RateLimiterFactory {
  return ({ name, max, windowSeconds }) =>
    new RateLimiterRedis({ storeClient: redis, keyPrefix: `${keyPrefix}rate-limit:${name}`, points: max, duration: windowSeconds });
}

export function memoryRateLimiters(): RateLimiterFactory {
  return ({ name, max, windowSeconds }) => new RateLimiterMemory({ keyPrefix: name, points: max, duration: windowSeconds });
}

/** Counts one attempt against `key`; past the limit, a RATE_LIMITED error with the seconds to wait. */
export async function consumeOrRefuse(limiter: RateLimiterAbstract, key: string): Promise<void> {
  try {
    await limiter.consume(key);
  } catch (rejection) {
    if (rejection instanceof RateLimiterRes) {
      const retryAfter = Math.max(1, Math.ceil(rejection.msBeforeNext / 1000));
      throw ERRORS.RATE_LIMITED(`Too many attempts; try again in ${retryAfter} s`, { retryAfter });
    }
    throw rejection;
  }
}

const WINDOW_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

export function parseWindow(window: string): number {
  const match = /^(\d+)([smhd])$/.exec(window);
  const unit = match?.[2] ? WINDOW_UNITS[match[2]] : undefined;
  if (!match || unit === undefined) throw new Error(`@rateLimit window "${window}" must look like 30s, 15m, 1h or 1d`);
  return Number(match[1]) * unit;
}

function valueAtPath(args: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), args);
}

function subjectFor(by: string, args: Record<string, unknown>, context: SubgraphContextBase): string {
  if (by === 'ip') return `ip:${context.origin.clientIp ?? 'unknown'}`;
  if (by === 'user') return context.origin.identity ? `user:${context.origin.identity.userId}` : `ip:${context.origin.clientIp ?? 'unknown'}`;
  const value = valueAtPath(args, by);
  return `${by}:${typeof value === 'string' ? value.trim().toLowerCase() : String(value)}`;
}

interface RateLimitArguments {
  max: number;
  window: string;
  by: string;
}

/**
 * Applies `@rateLimit(max, window, by)` field directives (the style of graphql-rate-limit, but with atomic
 * counters): every use of the directive on a field is one limit, all checked before the resolver runs.
 */
export function applyRateLimitDirective(schema: GraphQLSchema, createLimiter: RateLimiterFactory): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      // Only @rateLimit: a field may carry other directives too (@deprecated).
      const limits = (getDirective(schema, field, 'rateLimit') ?? []).map((directiveArguments) => {
        const { max, window, by } = directiveArguments as RateLimitArguments;
        const name = `${typeName}.${fieldName}:${by}`;
        return { by, limiter: createLimiter({ name, max, windowSeconds: parseWindow(window) }) };
      });
      if (limits.length === 0) return field;
      const resolve = field.resolve ?? defaultFieldResolver;
      return {
        ...field,
        async resolve(source, args: Record<string, unknown>, context: SubgraphContextBase, info) {
          for (const { by, limiter } of limits) await consumeOrRefuse(limiter, subjectFor(by, args, context));
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
