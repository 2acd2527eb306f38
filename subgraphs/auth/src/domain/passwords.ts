import bcrypt from 'bcrypt';
import { badInput } from '@pyairtable/common/errors';

const MIN_BYTES = 8;
/** bcrypt reads at most 72 bytes; a longer password is refused rather than silently cut. */
const MAX_BYTES = 72;

export function assertAcceptablePassword(password: string, field: string): void {
  const bytes = Buffer.byteLength(password, 'utf8');
  if (bytes < MIN_BYTES || bytes > MAX_BYTES) {
    throw badInput(field, `Password must be ${MIN_BYTES} to ${MAX_BYTES} bytes long (it is ${bytes})`);
  }
}

export class PasswordHasher {
  /** Compared against when the account does not exist, so unknown emails cost the same time as known ones. */
  private readonly decoyHash: Promise<string>;

  constructor(private readonly cost: number) {
    this.decoyHash = bcrypt.hash('decoy password for timing equality', cost);
  }

  hash(password: string): Promise<string> {
    return bcrypt.hash(password, this.cost);
  }

  async verify(password: string, hash: string | undefined): Promise<boolean> {
    const matches = await bcrypt.compare(password, hash ?? (await this.decoyHash));
    return matches && hash !== undefined;
  }
}
