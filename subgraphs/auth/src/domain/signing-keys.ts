import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { exportJWK, generateKeyPair, importJWK, type CryptoKey, type JWK } from 'jose';
import type { Logger } from '@pyairtable/common/observability';
import type { AuthConfig, SigningJwk } from '../config.js';

export const SIGNING_ALGORITHM = 'ES256';

export interface SigningKeys {
  signingKid: string;
  signingKey: CryptoKey;
  /** Public parts of every configured key, for /.well-known/jwks.json. */
  jwks: { keys: JWK[] };
}

function publicPart({ kid, kty, crv, x, y }: SigningJwk): JWK {
  return { kid, kty, crv, x, y, alg: SIGNING_ALGORITHM, use: 'sig' };
}

async function generateDevelopmentKeys(): Promise<SigningJwk[]> {
  const { privateKey } = await generateKeyPair(SIGNING_ALGORITHM, { extractable: true });
  const jwk = await exportJWK(privateKey);
  return [{ kid: `dev-${new Date().toISOString().slice(0, 10)}`, kty: 'EC', crv: 'P-256', x: jwk.x ?? '', y: jwk.y ?? '', d: jwk.d }];
}

/** In development without JWT_KEYS, a key is made once and kept on disk so tokens survive restarts. */
async function developmentKeys(file: string, logger: Logger): Promise<SigningJwk[]> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as SigningJwk[];
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const keys = await generateDevelopmentKeys();
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, JSON.stringify(keys), { mode: 0o600 });
  logger.warn({ file }, 'development mode: generated a JWT signing key (never used in production; set JWT_KEYS there)');
  return keys;
}

export async function loadSigningKeys(config: AuthConfig, logger: Logger): Promise<SigningKeys> {
  const keys = config.JWT_KEYS ?? (await developmentKeys(config.JWT_DEV_KEY_FILE, logger));
  const [signing] = keys;
  if (!signing?.d) throw new Error('the first JWT key must include its private part');
  const signingKey = await importJWK({ ...signing, alg: SIGNING_ALGORITHM }, SIGNING_ALGORITHM);
  if (signingKey instanceof Uint8Array) throw new Error('JWT signing key must be asymmetric');
  return { signingKid: signing.kid, signingKey, jwks: { keys: keys.map(publicPart) } };
}
