import { createHash } from 'node:crypto';
import { MapperKind, getDirective, mapSchema } from '@graphql-tools/utils';
import { defaultFieldResolver, type GraphQLSchema } from 'graphql';
import type { Redis } from 'ioredis';
import ipaddr from 'ipaddr.js';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import { z } from 'zod';
import { ERRORS } from '../errors/registry.js';
import type { SubgraphContextBase } from '../subgraphs/service.js';

/** How much a throttle lets through: at most `max` calls per `windowSeconds`. */
export interface RateLimitBudget {
  max: number;
  windowSeconds: number;
}

export interface RateLimitPolicy extends RateLimitBudget {
  /** Names the counter, so two fields with equal numbers do not share one. */
  name: string;
}

export type RateLimiterFactory = (policy: RateLimitPolicy) => RateLimiterAbstract;

/**
 * Counters on Redis; rate-limiter-flexible increments and reads in one atomic step, so N racers cannot all pass.
 * While Redis is away each throttle counts in this process instead (its insurance limiter): it keeps holding, per
 * replica, and nothing waits for Redis.
 */
export function redisRateLimiters(redis: Redis, keyPrefix: string): RateLimiterFactory {
  return ({ name, max, windowSeconds }) =>
    new RateLimiterRedis({
      storeClient: redis,
      keyPrefix: `${keyPrefix}rate-limit:${name}`,
      points: max,
      duration: windowSeconds,
      insuranceLimiter: new RateLimiterMemory({ keyPrefix: name, points: max, duration: windowSeconds }),
    });
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

const BUDGET_SHAPE = /^(\d+)\/(\d+[smhd])$/;

/** "5/15m" → at most 5 calls per 15 minutes. */
export function parseRateLimitBudget(budget: string): RateLimitBudget {
  const match = BUDGET_SHAPE.exec(budget.trim());
  if (!match?.[1] || !match[2] || Number(match[1]) < 1) throw new Error(`"${budget}" must look like 5/15m: at most 5 calls per 15 minutes`);
  return { max: Number(match[1]), windowSeconds: parseWindow(match[2]) };
}

/**
 * A throttle's setting: "<max>/<window>", e.g. "5/15m" (5 calls per 15 minutes; windows in s, m, h or d),
 * with `fallback` as its default. Spread into a service's zod settings; the SDL names it with @rateLimit(policy).
 */
export function rateLimitSetting(fallback: string) {
  return z
    .string()
    .trim()
    .regex(BUDGET_SHAPE, 'must look like 5/15m: at most 5 calls per 15 minutes (window in s, m, h or d)')
    .refine((budget) => !budget.startsWith('0/'), 'must let at least one call through')
    .prefault(fallback)
    .transform((budget) => parseRateLimitBudget(budget));
}

const THROTTLE_SETTING_PREFIX = 'THROTTLE_';

function isBudget(value: unknown): value is RateLimitBudget {
  return typeof value === 'object' && value !== null && 'max' in value && 'windowSeconds' in value;
}

/**
 * The budgets of a service's rate-limit policies, by policy name: every `THROTTLE_<policy>` setting of its config
 * (each read with rateLimitSetting), for the SDL's `@rateLimit(policy: "<policy>")`.
 */
export function throttlePolicies(config: Readonly<Record<string, unknown>>): Record<string, RateLimitBudget> {
  return Object.fromEntries(
    Object.entries(config).flatMap(([setting, value]) =>
      setting.startsWith(THROTTLE_SETTING_PREFIX) && isBudget(value) ? [[setting.slice(THROTTLE_SETTING_PREFIX.length), value]] : [],
    ),
  );
}

/** What a throttle's Redis key holds of what it counts (an email, say): a digest, never the plain text. */
export function subjectDigest(value: string): string {
  return createHash('sha256').update(value).digest('base64url').slice(0, 32);
}

const IPV6_NETWORK_GROUPS = 4;

/**
 * Whom a per-address throttle counts: an IPv4 address as it is, an IPv6 address by its /64 network. One
 * subscriber usually holds a whole /64, so counting single IPv6 addresses would give an attacker 2^64 budgets.
 */
export function throttleSubjectForAddress(address: string | null | undefined): string {
  if (!address || !ipaddr.isValid(address)) return 'ip:unknown';
  const parsed = ipaddr.process(address);
  if (parsed.kind() === 'ipv4') return `ip:${parsed.toString()}`;
  const network = (parsed as ipaddr.IPv6).parts.slice(0, IPV6_NETWORK_GROUPS).map((group) => group.toString(16));
  return `ip:${network.join(':')}::/64`;
}

function valueAtPath(args: Record<string, unknown>, path: string): unknown {
  return path
    .split('.')
    .reduce<unknown>((value, key) => (typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined), args);
}

function subjectFor(by: string, args: Record<string, unknown>, context: SubgraphContextBase): string {
  if (by === 'ip') return throttleSubjectForAddress(context.origin.clientIp);
  if (by === 'user') return context.origin.identity ? `user:${context.origin.identity.userId}` : throttleSubjectForAddress(context.origin.clientIp);
  // The limiter's name already says which argument this is (`Mutation.login:input.email`).
  const value = valueAtPath(args, by);
  return subjectDigest(typeof value === 'string' ? value.normalize('NFKC').trim().toLowerCase() : String(value));
}

/** A use of the directive: a named policy (its numbers are settings), or literal numbers. */
interface RateLimitArguments {
  policy?: string | null;
  max?: number | null;
  window?: string | null;
  by: string;
}

/**
 * Applies `@rateLimit` field directives (the style of graphql-rate-limit, but with atomic counters): every use
 * of the directive on a field is one limit, all checked before the resolver runs. A use names a `policy`,
 * whose budget comes from `policies` (the service's settings), or gives `max` and `window` literally. A
 * policy the SDL names without a budget, or a budget no field uses, is a startup error: a misspelt setting
 * must not leave a field unthrottled.
 */
export function applyRateLimitDirective(
  schema: GraphQLSchema,
  createLimiter: RateLimiterFactory,
  policies: Readonly<Record<string, RateLimitBudget>> = {},
): GraphQLSchema {
  const unused = new Set(Object.keys(policies));
  const budgetOf = ({ policy, max, window }: RateLimitArguments, field: string): RateLimitBudget => {
    if (policy) {
      const budget = policies[policy];
      if (!budget) throw new Error(`@rateLimit on ${field} names policy "${policy}", which has no budget`);
      unused.delete(policy);
      return budget;
    }
    if (max && window) return { max, windowSeconds: parseWindow(window) };
    throw new Error(`@rateLimit on ${field} needs a policy, or max and window`);
  };
  const limited = mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (field, fieldName, typeName) => {
      // Only @rateLimit: a field may carry other directives too (@deprecated).
      const limits = (getDirective(schema, field, 'rateLimit') ?? []).map((directiveArguments) => {
        const args = directiveArguments as RateLimitArguments;
        const name = `${typeName}.${fieldName}:${args.by}`;
        return { by: args.by, limiter: createLimiter({ name, ...budgetOf(args, `${typeName}.${fieldName}`) }) };
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
  if (unused.size > 0) throw new Error(`rate-limit policies no field uses: ${[...unused].join(', ')}`);
  return limited;
}
