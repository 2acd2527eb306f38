import { envCommaList, envPort, loadConfig, subgraphServiceSettings } from '@pyairtable/common/config';
import { subgraphEntry } from '@pyairtable/common/subgraphs';
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

const authSettings = z
  .object({
    ...subgraphServiceSettings,
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
  })
  .refine((settings) => settings.JWT_KEYS !== undefined || settings.NODE_ENV === 'development', {
    path: ['JWT_KEYS'],
    error: 'is required outside development (a JSON array of EC P-256 private JWKs; see README)',
    // Checked even when other settings are invalid, so every problem is named at once.
    when: ({ value }) => typeof value === 'object' && value !== null,
  });

export type AuthConfig = z.infer<typeof authSettings>;

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AuthConfig> {
  return loadConfig('auth subgraph', authSettings, env);
}
