import { createECDH, createPublicKey } from 'node:crypto';
// The auth subgraph's settings, read and validated once: signing keys, token lifetimes, mail, throttles.
import { envCommaList, envPort, loadConfig } from '@pyairtable/common/config';
import { durationSetting, rateLimitSetting } from '@pyairtable/common/graphql';
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

/**
 * Why a JWK's key material is unusable, or undefined: the point (x, y) must be on the curve and a private part must
 * belong to it. Checked while the settings load, so a bad key is a named setting problem, not a crash at import.
 */
function keyMaterialProblem({ kid, kty, crv, x, y, d }: SigningJwk): string | undefined {
  try {
    createPublicKey({ key: { kty, crv, x, y }, format: 'jwk' });
    if (d === undefined) return undefined;
    // The public point d gives, uncompressed (0x04 ‖ x ‖ y): a JWK import alone would keep x and y as written.
    const ecdh = createECDH('prime256v1');
    ecdh.setPrivateKey(Buffer.from(d, 'base64url'));
    const expected = Buffer.concat([Buffer.of(4), Buffer.from(x, 'base64url'), Buffer.from(y, 'base64url')]);
    return ecdh.getPublicKey().equals(expected) ? undefined : `key "${kid}": its private part "d" does not belong to its "x" and "y"`;
  } catch {
    return `key "${kid}" is not a usable EC P-256 key (its "x", "y" or "d" is not valid key material)`;
  }
}

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
      .refine((keys) => new Set(keys.map((key) => key.kid)).size === keys.length, 'every key needs its own kid')
      .superRefine((keys, context) => {
        for (const problem of keys.map(keyMaterialProblem)) if (problem) context.addIssue({ code: 'custom', message: problem });
      }),
  );

/**
 * Every throttle of the SDL's `@rateLimit(policy: "X")` is the setting THROTTLE_X: "<max>/<window>" (e.g. 5/15m),
 * counted per client IP, per account email or per signed-in user as the SDL's `by` says.
 */
const throttleSettings = {
  THROTTLE_REGISTER_PER_IP: rateLimitSetting('10/1h'),
  THROTTLE_REGISTER_PER_EMAIL: rateLimitSetting('20/1h'),
  THROTTLE_LOGIN_PER_IP: rateLimitSetting('30/15m'),
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

/** Failed sign-ins to one account: a few are free, then each further one waits, the wait doubling up to a cap. */
const loginFailureSettings = {
  LOGIN_FREE_FAILURES: z.coerce.number().int().min(1).max(100).default(5),
  LOGIN_FAILURE_DELAY: durationSetting('1s'),
  LOGIN_FAILURE_MAX_DELAY: durationSetting('5m'),
  LOGIN_FAILURE_MEMORY: durationSetting('1h'),
};

const authSettings = z
  .object({
    ...platformSettings,
    ...mailSettings,
    ...throttleSettings,
    ...loginFailureSettings,
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
  .refine((settings) => settings.LOGIN_FAILURE_DELAY <= settings.LOGIN_FAILURE_MAX_DELAY, {
    path: ['LOGIN_FAILURE_MAX_DELAY'],
    error: 'must be at least LOGIN_FAILURE_DELAY',
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
