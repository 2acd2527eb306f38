// Starting a session: its refresh token (only the hash is stored) and the payload a client signs in with.
import type { RequestOrigin } from '@pyairtable/common/identity';
import type { User } from '../generated/prisma/client.js';
import type { NewSession } from '../data/user-store.js';
import type { TokenIssuer } from './tokens.js';

export interface AuthPayload {
  accessToken: string;
  refreshToken: string;
  tokenType: 'Bearer';
  expiresIn: number;
  user: User;
}

export class SessionStarter {
  constructor(private readonly tokens: TokenIssuer) {}

  /** A session to store for a sign-in from `origin`, and the refresh token to hand out with it. */
  prepare(origin: RequestOrigin): { refreshToken: string; session: NewSession } {
    const refresh = this.tokens.refreshToken();
    return {
      refreshToken: refresh.token,
      session: {
        expiresAt: this.tokens.refreshTokenExpiry(),
        userAgent: origin.userAgent,
        ipAddress: origin.clientIp,
        refreshTokenHash: refresh.hash,
      },
    };
  }

  async payload(user: User, sessionId: string, refreshToken: string): Promise<AuthPayload> {
    return {
      accessToken: await this.tokens.accessToken(user, sessionId),
      refreshToken,
      tokenType: 'Bearer',
      expiresIn: this.tokens.settings.accessTokenTtlSeconds,
      user,
    };
  }
}
