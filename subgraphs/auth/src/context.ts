import type DataLoader from 'dataloader';
import type { SubgraphContextBase } from '@pyairtable/common/subgraphs';
import type { AccountLifecycle } from './domain/account-lifecycle.js';
import type { AccountService } from './domain/accounts.js';
import type { User } from './generated/prisma/client.js';

export interface AuthContext extends SubgraphContextBase {
  accounts: AccountService;
  lifecycle: AccountLifecycle;
  /** Per request, so every User reference in one request is one query. */
  userById: DataLoader<string, User | null>;
}
