// The tokens of links sent by mail: 256 random bits in the link, only their hash stored, each with its purpose's lifetime.
import type { AccountTokenPurpose } from '../generated/prisma/client.js';
import type { NewAccountToken } from '../data/user-store.js';
import { newOpaqueToken } from './tokens.js';

/** How long a link of each purpose works, in seconds (EMAIL_VERIFICATION_TTL_SECONDS and its siblings). */
export type LinkLifetimes = Record<AccountTokenPurpose, number>;

export class LinkTokens {
  constructor(private readonly lifetimes: LinkLifetimes) {}

  /** A fresh token for a link mailed to `email`: the token goes in the mail, the record to the database. */
  issue(purpose: AccountTokenPurpose, email: string): { token: string; record: NewAccountToken } {
    const { token, hash } = newOpaqueToken();
    const expiresAt = new Date(Date.now() + this.lifetimes[purpose] * 1000);
    return { token, record: { purpose, tokenHash: hash, email, expiresAt } };
  }
}
