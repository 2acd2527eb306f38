import { createECDH, createPublicKey } from 'node:crypto';
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
    message: 'is required outside development (a JSON array of EC P-256 private JWKs; see README)',
    // Checked even when other settings are invalid, so every problem is named at once.
    when: ({ value }) => typeof value === 'object' && value !== null,
  });

export type AuthConfig = z.infer<typeof authSettings>;

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): Readonly<AuthConfig> {
  return loadConfig('auth subgraph', authSettings, env);
}
