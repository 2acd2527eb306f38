// The auth subgraph's settings, read and validated once: signing keys, token lifetimes, mail, throttles.
import { envCommaList, envPort, loadConfig } from '@pyairtable/common/config';
import { rateLimitSetting, type RateLimitBudget } from '@pyairtable/common/graphql';
import { mailSettings, requireSmtpOutsideDevelopment } from '@pyairtable/common/mail';
import { platformSettings, subgraphEntry } from '@pyairtable/common/subgraphs';
import { z } from 'zod';

const jwkSchema = z.object({
  kid: z.string().min(1),
  kty: z.literal('EC'),
  crv: z.literal('P-256'),
  x: z.string(),
  y: z.string(),
  d: z.string().optional(),
});

export type SigningJwk = z.infer<typeof jwkSchema>;

const jwtKeys = z
  .string()
  .transform((raw, context) => {
    try {
      return JSON.parse(raw) as unknown;
    } catch {
      context.addIssue({ code: 'custom', message: 'must be a JSON array of EC P-256 JWKs' });
      return z.NEVER;
    }
  })
  .pipe(
    z
      .array(jwkSchema)
      .min(1)
      .refine((keys) => keys[0]?.d !== undefined, 'the first key signs, so it must include its private part "d"')
      .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, 'every key needs its own kid'),
  );

/**
 * Every throttle of the SDL's `@rateLimit(policy: "X")` is the setting THROTTLE_X: "<max>/<window>" (e.g. 5/15m),
 * counted per client IP, per account email or per signed-in user as the SDL's `by` says.
 */
const throttleSettings = {
  THROTTLE_REGISTER_PER_IP: rateLimitSetting('10/1h'),
  THROTTLE_REGISTER_PER_EMAIL: rateLimitSetting('20/1h'),
  THROTTLE_LOGIN_PER_IP: rateLimitSetting('30/15m'),
  THROTTLE_LOGIN_PER_EMAIL: rateLimitSetting('5/15m'),
  THROTTLE_REFRESH_PER_IP: rateLimitSetting('60/15m'),
  THROTTLE_CHANGE_PASSWORD_PER_USER: rateLimitSetting('5/15m'),
  THROTTLE_EMAIL_VERIFICATION_REQUEST_PER_IP: rateLimitSetting('10/1h'),
  THROTTLE_EMAIL_VERIFICATION_REQUEST_PER_USER: rateLimitSetting('5/1h'),
  THROTTLE_VERIFY_EMAIL_PER_IP: rateLimitSetting('30/15m'),
  THROTTLE_PASSWORD_RESET_REQUEST_PER_IP: rateLimitSetting('10/1h'),
  THROTTLE_PASSWORD_RESET_REQUEST_PER_EMAIL: rateLimitSetting('5/1h'),
  THROTTLE_RESET_PASSWORD_PER_IP: rateLimitSetting('10/15m'),
  THROTTLE_EMAIL_CHANGE_REQUEST_PER_IP: rateLimitSetting('10/1h'),
  THROTTLE_EMAIL_CHANGE_REQUEST_PER_USER: rateLimitSetting('5/1h'),
  THROTTLE_EMAIL_CHANGE_REQUEST_PER_EMAIL: rateLimitSetting('5/1h'),
  THROTTLE_CONFIRM_EMAIL_CHANGE_PER_IP: rateLimitSetting('30/15m'),
};

const THROTTLE_PREFIX = 'THROTTLE_';

/** The budgets of the SDL's rate-limit policies, by policy name (the setting's name without THROTTLE_). */
export function throttlePolicies(config: AuthConfig): Record<string, RateLimitBudget> {
  return Object.fromEntries(
    (Object.keys(throttleSettings) as Array<keyof typeof throttleSettings>).map((setting) => [
      setting.slice(THROTTLE_PREFIX.length),
      config[setting],
    ]),
  );
}

const authSettings = z
  .object({
    ...platformSettings,
    ...mailSettings,
    ...throttleSettings,
    PORT: envPort.default(subgraphEntry('auth').port),
    BCRYPT_COST: z.coerce.number().int().min(4).max(15).default(12),
    ADMIN_EMAILS: envCommaList.default([]).transform((emails) => emails.map((email) => email.toLowerCase())),
    JWT_ISSUER: z.string().min(1).default('pyairtable-auth'),
    JWT_AUDIENCE: z.string().min(1).default('pyairtable-graph'),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(300)
      .default(30 * 86_400),
    /** Signing keys, newest first: the first signs, all are published in the JWKS (rotation). */
    JWT_KEYS: jwtKeys.optional(),
    /** Development only: where a generated key is kept when JWT_KEYS is unset. */
    JWT_DEV_KEY_FILE: z.string().default('.data/dev-jwt-keys.json'),
    /** How long the links mailed for confirming an address, resetting a password and changing the email work. */
    EMAIL_VERIFICATION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(24 * 3600),
    PASSWORD_RESET_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
    EMAIL_CHANGE_TTL_SECONDS: z.coerce.number().int().min(60).default(3600),
  })
  .refine((settings) => settings.JWT_KEYS !== undefined || settings.NODE_ENV === 'development', {
    path: ['JWT_KEYS'],
    error: 'is required outside development (a JSON array of EC P-256 private JWKs; see README)',
    // Checked even when other settings are invalid, so every problem is named at once.
    when: ({ value }) => typeof value === 'object' && value !== null,
  });

export type AuthConfig = z.infer<typeof authSettings>;

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AuthConfig> {
  return loadConfig('auth subgraph', requireSmtpOutsideDevelopment(authSettings), env);
}
