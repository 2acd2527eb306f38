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
  const problems = [
    ...(result.success ? [] : result.error.issues.map((issue) => `${issue.path.join('.') || '(environment)'}: ${issue.message}`)),
    ...productionSecretProblems(schema, env),
  ];
  if (!result.success || problems.length > 0) throw new ConfigError(service, problems);
  return Object.freeze(result.data);
}

const productionSecrets = new WeakSet<z.ZodType>();

/** Marks a setting as a secret: in production, loadConfig refuses a placeholder or guessable value of it (secretProblem). */
export function productionSecret<Schema extends z.ZodType>(schema: Schema): Schema {
  productionSecrets.add(schema);
  return schema;
}

/** What a production secret must carry at least, by the estimate of secretProblem. */
export const MIN_SECRET_BITS = 128;
const PLACEHOLDER = /change[\W_]*me/i;

/**
 * Why a value is unfit to be a production secret, or undefined when it is fit. The rule: it is not a placeholder
 * (it does not say "change me", as every secret of .env.example does), and its estimated entropy — its length times
 * the Shannon entropy of its own character frequencies — is at least MIN_SECRET_BITS. The estimate cannot see a
 * pattern (`abcdef…` scores well), but it refuses repeated characters and words, and passes any random value of 32
 * bytes or more (`openssl rand -hex 32` scores about 240 bits).
 */
export function secretProblem(value: string): string | undefined {
  const advice = 'set a random value, e.g. openssl rand -hex 32';
  if (PLACEHOLDER.test(value)) return `is a placeholder ("change me"): ${advice}`;
  const bits = estimatedEntropyBits(value);
  if (bits < MIN_SECRET_BITS) return `is guessable (about ${Math.floor(bits)} bits by its characters, at least ${MIN_SECRET_BITS} needed): ${advice}`;
  return undefined;
}

function estimatedEntropyBits(value: string): number {
  const characters = Array.from(value);
  const counts = new Map<string, number>();
  for (const character of characters) counts.set(character, (counts.get(character) ?? 0) + 1);
  let bitsPerCharacter = 0;
  for (const count of counts.values()) bitsPerCharacter -= (count / characters.length) * Math.log2(count / characters.length);
  return bitsPerCharacter * characters.length;
}

/** The secrets of a schema's settings that are unfit for production, when the environment says production. */
function productionSecretProblems(schema: z.ZodType, env: NodeJS.ProcessEnv): string[] {
  if (!(schema instanceof z.ZodObject)) return [];
  const shape = schema.shape as Record<string, z.ZodType>;
  const mode = shape['NODE_ENV']?.safeParse(env['NODE_ENV']);
  if (!mode?.success || mode.data !== 'production') return [];
  return Object.entries(shape).flatMap(([setting, field]) => {
    const value = env[setting];
    // A value the setting refuses anyway (too short, say) is reported once, by the schema.
    if (!productionSecrets.has(field) || typeof value !== 'string' || !field.safeParse(value).success) return [];
    const problem = secretProblem(value);
    return problem ? [`${setting}: ${problem}`] : [];
  });
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

/**
 * The secret the router signs each subgraph request's identity with; subgraphs refuse requests without it. In
 * production it must not be a placeholder or guessable (secretProblem).
 */
export const routerSharedSecret = productionSecret(z.string().min(32, 'must be at least 32 characters'));

/** Settings every service reads. */
export const baseServiceSettings = {
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  HOST: z.string().default('0.0.0.0'),
  SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** /metrics on a port of its own (on HOST), kept off the public port; unset, it is served on PORT. */
  METRICS_PORT: envPort.optional(),
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
