import bcrypt from 'bcrypt';
import { Histogram, type Registry } from 'prom-client';
import { badInput } from '@pyairtable/common/errors';

const MIN_BYTES = 8;
/** bcrypt reads at most 72 bytes; a longer password is refused rather than silently cut. */
const MAX_BYTES = 72;

/** A new password: 8 to 72 bytes, and no NUL (the bcrypt binding reads a C string, so NUL would end it early). */
export function assertAcceptablePassword(password: string, field: string): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
    throw badInput(field, `Password must be ${MIN_BYTES} to ${MAX_BYTES} bytes long (it is ${bytes})`);
  }
  assertPasswordFitsHash(password, field);
}

/**
 * A password presented to sign in: one bcrypt would cut (over 72 bytes, or holding NUL) is refused, so a
 * stored password followed by anything never signs in. Short ones just do not match.
 */
export function assertPasswordFitsHash(password: string, field: string): void {
  if (Buffer.byteLength(password, 'utf8') > MAX_BYTES) throw badInput(field, `Password must be at most ${MAX_BYTES} bytes long`);
  if (password.includes('\u0000')) throw badInput(field, 'Password must not contain NUL');
}

/** What operators tune BCRYPT_COST by: how long each hash and each check takes, and how many run. */
export function passwordWorkHistogram(registry: Registry): Histogram<'operation'> {
  return new Histogram({
    name: 'password_hash_duration_seconds',
    help: 'bcrypt work by operation: hash (a new password) or verify (a sign-in or a password check, decoy included).',
    labelNames: ['operation'],
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
}

export class PasswordHasher {
  /** Compared against when the account does not exist, so unknown emails cost the same time as known ones. */
  private readonly decoyHash: Promise<string>;

  constructor(
    private readonly cost: number,
    private readonly work: Histogram<'operation'>,
  ) {
    this.decoyHash = bcrypt.hash('decoy password for timing equality', cost);
  }

  hash(password: string): Promise<string> {
    return this.timed('hash', () => bcrypt.hash(password, this.cost));
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const against = hash ?? (await this.decoyHash);
    const matches = await this.timed('verify', () => bcrypt.compare(password, against));
    return matches && hash !== undefined;
  }

  private async timed<T>(operation: 'hash' | 'verify', work: () => Promise<T>): Promise<T> {
    const done = this.work.startTimer({ operation });
    try {
      return await work();
    } finally {
      done();
    }
  }
}
