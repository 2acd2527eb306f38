import { baseServiceSettings, envBoolean, envCommaList, envPort, loadConfig, redisUrl, routerSharedSecret } from '@pyairtable/common/config';
import { mailSettings } from '@pyairtable/common/mail';
import { SUBGRAPHS, subgraphUrlSetting, type SubgraphUrlSetting } from '@pyairtable/common/subgraphs';
import { z } from 'zod';

export const SERVICE_NAME = 'router';

const httpUrl = z
  .string()
  .trim()
  .regex(/^https?:\/\//, 'must be an http:// or https:// URL');

function subgraphUrlSettings() {
  return Object.fromEntries(SUBGRAPHS.map(({ name }) => [subgraphUrlSetting(name), httpUrl.optional()])) as Record<
    SubgraphUrlSetting,
    z.ZodOptional<typeof httpUrl>
  >;
}

const routerSettings = z.object({
  ...baseServiceSettings,
  PORT: envPort.default(8000),
  /** The composed supergraph (npm run compose writes it). */
  SUPERGRAPH_FILE: z.string().default(new URL('../../supergraph.graphql', import.meta.url).pathname),
  /** SUBGRAPH_URL_<NAME> for every registered subgraph: overrides its routing_url, e.g. inside a cluster. */
  ...subgraphUrlSettings(),
  SUBGRAPH_TIMEOUT_MS: z.coerce.number().int().positive().default(10_000),
  /** Identical query fetches in flight for the same caller share one subgraph request (never a mutation's). */
  DEDUPLICATE_SUBGRAPH_FETCHES: envBoolean.default(true),
  /** The fetches one request makes to one subgraph at the same moment go out as one HTTP batch (subgraphs accept batches). */
  BATCH_SUBGRAPH_FETCHES: envBoolean.default(true),
  /**
   * How far V8 lets the heap grow past what was live at the last full collection, in percent (V8's
   * --heap-growing-percent); 0 leaves it to V8, which lets a busy router's heap reach about four times its live size.
   */
  HEAP_GROWING_PERCENT: z.coerce.number().int().min(0).max(1000).default(50),
  /** Where the auth subgraph publishes its keys; defaults to the auth subgraph's /.well-known/jwks.json. */
  AUTH_JWKS_URL: httpUrl.optional(),
  JWT_ISSUER: z.string().min(1).default('pyairtable-auth'),
  JWT_AUDIENCE: z.string().min(1).default('pyairtable-graph'),
  /** How far in the future a token's iat may lie (the auth replicas' clocks and the router's differ a little). */
  JWT_CLOCK_SKEW_SECONDS: z.coerce.number().int().min(0).max(300).default(30),
  ROUTER_SHARED_SECRET: routerSharedSecret,
  REDIS_URL: redisUrl,
  REDIS_KEY_PREFIX: z.string().default('pyairtable:'),
  /** How often the router pulls the auth subgraph's record of revocations (announcements cover the time between). */
  REVOCATION_SYNC_INTERVAL_MS: z.coerce.number().int().min(100).default(2_000),
  /** Past this without a pull, and without announcements heard since the last one, signed-in requests get 503. */
  REVOCATION_MAX_STALENESS_MS: z.coerce.number().int().min(1_000).default(30_000),
  /** express "trust proxy": false, true, a hop count, or comma-separated addresses/subnets ("loopback"). */
  TRUST_PROXY: z.string().default('false'),
  /** Origins allowed to call the graph from a browser ("*" for any); Apollo Sandbox's is added in development. */
  CORS_ORIGINS: envCommaList.default([]),
  /** The Apollo Sandbox landing page on GET /graphql and introspection: on in development, off otherwise. */
  ENABLE_SANDBOX: envBoolean.optional(),
  ENABLE_INTROSPECTION: envBoolean.optional(),
  /** Requests per client IP per minute, across every router replica (Redis). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Limits that refuse abusive operations before any subgraph is called. */
  MAX_QUERY_DEPTH: z.coerce.number().int().positive().default(10),
  /** Every alias counts, __typename's included (a scanner's flood of them costs as much to validate and plan). */
  MAX_ALIASES: z.coerce.number().int().positive().default(30),
  /** Directives per document, known or unknown, counted before the document is validated. */
  MAX_DIRECTIVES: z.coerce.number().int().positive().default(5),
  MAX_QUERY_COST: z.coerce.number().int().positive().default(1_000_000),
  MAX_QUERY_TOKENS: z.coerce.number().int().positive().default(3_000),
  /** Batches (a JSON array of operations in one request) multiply every other limit: refused unless turned on. */
  ALLOW_BATCHED_REQUESTS: envBoolean.default(false),
  MAX_BATCH_SIZE: z.coerce.number().int().min(1).default(10),
  /** The product's name on the development pages (the mailbox and the pages at the mail links). */
  PRODUCT_NAME: mailSettings.PRODUCT_NAME,
  /** Apollo's usage telemetry; off unless asked for, so a self-hosted router never phones home. */
  APOLLO_TELEMETRY_DISABLED: envBoolean.default(true),
});

export type RouterConfig = z.infer<typeof routerSettings>;

export function loadRouterConfig(env: NodeJS.ProcessEnv = process.env): Readonly<RouterConfig> {
  return loadConfig('router', routerSettings, env);
}

/**
 * @apollo/gateway has no option for its usage telemetry: each ApolloGateway reads APOLLO_TELEMETRY_DISABLED from
 * the process environment when it is constructed ("true" or "1" turns it off; nothing is read at import) and
 * otherwise probes cloud metadata addresses and reports to Apollo, hourly and on shutdown. So a process that
 * runs a router calls this once at its entry point, before creating one: it writes this setting back in the
 * gateway's spelling ("yes" becomes "true"; unset means off). An invalid value is left for loadRouterConfig to
 * report with the other settings.
 */
export function applyApolloTelemetrySetting(env: NodeJS.ProcessEnv = process.env): void {
  const disabled = routerSettings.shape.APOLLO_TELEMETRY_DISABLED.safeParse(env['APOLLO_TELEMETRY_DISABLED']);
  if (disabled.success && disabled.data) env['APOLLO_TELEMETRY_DISABLED'] = 'true';
}

/** Whether an ApolloGateway created now would report to Apollo, by the gateway's own reading of the environment. */
export function gatewayWouldReportToApollo(env: NodeJS.ProcessEnv = process.env): boolean {
  const value = env['APOLLO_TELEMETRY_DISABLED'];
  return value !== 'true' && value !== '1';
}

/** The Apollo Sandbox landing page and the GraphiQL page: on in development unless ENABLE_SANDBOX says otherwise. */
export function sandboxEnabled(config: RouterConfig): boolean {
  return config.ENABLE_SANDBOX ?? config.NODE_ENV === 'development';
}

/** express's trust-proxy setting from its string form. */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === 'true' || value === 'false') return value === 'true';
  return /^\d+$/.test(value) ? Number(value) : value;
}

/** The development pages (/dev/mailbox, and stand-ins for the frontend's mail-link pages): development only, they show live tokens. */
export function developmentPagesEnabled(config: RouterConfig): boolean {
  return config.NODE_ENV === 'development';
}
