import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { envPort, loadConfig, logLevel, postgresUrl, redisUrl } from '@pyairtable/common/config';
import { mailSettings } from '@pyairtable/common/mail';
import { SUBGRAPHS, type SubgraphName } from '@pyairtable/common/subgraphs';
import { z } from 'zod';

type SubgraphPortSetting = `${Uppercase<SubgraphName>}_PORT`;

/** The setting that moves a subgraph's port in the one-process runner: AUTH_PORT, USERS_PORT, ... */
export function subgraphPortSetting(name: SubgraphName): SubgraphPortSetting {
  return `${name.toUpperCase() as Uppercase<SubgraphName>}_PORT`;
}

/** `<NAME>_PORT` for every subgraph of the registry, defaulting to its registered port. */
function subgraphPortSettings() {
  return Object.fromEntries(SUBGRAPHS.map(({ name, port }) => [subgraphPortSetting(name), envPort.default(port)])) as Record<
    SubgraphPortSetting,
    z.ZodDefault<typeof envPort>
  >;
}

const localGraphSettings = z
  .object({
    /** Where the embedded database and the development signing key live. */
    DATA_DIR: z.string().default('.data'),
    HOST: z.string().default('127.0.0.1'),
    PORT: envPort.default(8000),
    ...subgraphPortSettings(),
    LOG_LEVEL: logLevel,
    /** Both set: the real servers are used instead of the embedded stand-ins. */
    DATABASE_URL: postgresUrl.optional(),
    REDIS_URL: redisUrl.optional(),
    /** Unset (the usual case): every service's mail is caught in one mailbox the router shows at /dev/mailbox. */
    SMTP_URL: mailSettings.SMTP_URL,
    /** Where mail links point; unset, at this router (which serves stand-ins for the frontend's pages). */
    PUBLIC_APP_URL: mailSettings.PUBLIC_APP_URL.unwrap().optional(),
  })
  .refine((settings) => (settings.DATABASE_URL === undefined) === (settings.REDIS_URL === undefined), {
    path: ['REDIS_URL'],
    error: 'set DATABASE_URL and REDIS_URL together (real servers), or neither (embedded development mode)',
  });

export type LocalGraphSettings = z.infer<typeof localGraphSettings>;

export function subgraphPort(settings: LocalGraphSettings, name: SubgraphName): number {
  return settings[subgraphPortSetting(name)];
}

export function loadLocalGraphSettings(env: NodeJS.ProcessEnv = process.env): Readonly<LocalGraphSettings> {
  return loadConfig('local graph', localGraphSettings, env);
}

/** The address a browser reaches a server listening on `host` and `port` at. */
export function browserUrl(host: string, port: number): string {
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}

/**
 * The environment each service reads its own settings from: development mode, the ports above, one router
 * secret made for this run (every service lives in this process), and mail links that open this router's pages
 * (`routerUrl`) unless PUBLIC_APP_URL names a frontend.
 */
export function serviceEnvironment(settings: LocalGraphSettings, env: NodeJS.ProcessEnv, routerUrl: string): NodeJS.ProcessEnv {
  return {
    ...env,
    PUBLIC_APP_URL: settings.PUBLIC_APP_URL ?? routerUrl,
    NODE_ENV: 'development',
    HOST: settings.HOST,
    LOG_LEVEL: settings.LOG_LEVEL,
    ROUTER_SHARED_SECRET: randomBytes(32).toString('hex'),
    JWT_DEV_KEY_FILE: resolve(settings.DATA_DIR, 'dev-jwt-keys.json'),
    // Embedded mode hands each service in-process stand-ins, so these only satisfy the settings' shape.
    DATABASE_URL: settings.DATABASE_URL ?? 'postgresql://embedded-pglite/unused',
    REDIS_URL: settings.REDIS_URL ?? 'redis://in-process/unused',
  };
}
