import { z } from 'zod';

export class ConfigError extends Error {
  constructor(
    readonly service: string,
    readonly problems: string[],
  ) {
    super(`Invalid configuration for ${service}:\n${problems.map((problem) => `  - ${problem}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Reads a service's settings from the environment in one place: every problem is named at once and the
 * result is frozen, so the rest of the code never touches process.env.
 */
export function loadConfig<Schema extends z.ZodType>(
  service: string,
  schema: Schema,
  env: NodeJS.ProcessEnv = process.env,
): Readonly<z.infer<Schema>> {
  const result = schema.safeParse(env);
  if (!result.success) {
    throw new ConfigError(
      service,
      result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`),
    );
  }
  return Object.freeze(result.data);
}

/** "true"/"1"/"yes" and "false"/"0"/"no", case-insensitive; anything else is a named error. */
export const envBoolean = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.enum(['true', 'false', '1', '0', 'yes', 'no']))
  .transform((value) => value === 'true' || value === '1' || value === 'yes');

export const envPort = z.coerce.number().int().min(0).max(65535);

export const envCommaList = z.string().transform((value) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0),
);

export const postgresUrl = z
  .string()
  .trim()
  .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL');

export const redisUrl = z
  .string()
  .trim()
  .regex(/^rediss?:\/\//, 'must be a redis:// or rediss:// URL');

export const nodeEnv = z.enum(['development', 'test', 'production']).default('production');

export const logLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info');

/** The secret the router signs each subgraph request's identity with; subgraphs refuse requests without it. */
export const routerSharedSecret = z.string().min(32, 'must be at least 32 characters');

/** Settings every service reads. */
export const baseServiceSettings = {
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  HOST: z.string().default('0.0.0.0'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
};

/** Settings of a subgraph that owns a database schema and uses Redis. */
export const subgraphServiceSettings = {
  ...baseServiceSettings,
  DATABASE_URL: postgresUrl,
  DATABASE_POOL_SIZE: z.coerce.number().int().positive().default(10),
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z.string().default('pyairtable:'),
  ROUTER_SHARED_SECRET: routerSharedSecret,
};
