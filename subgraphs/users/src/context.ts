import type { SubgraphContextBase } from '@pyairtable/common/subgraphs';
import type { ProfileLoader, ProfileService } from './domain/profiles.js';

export interface UsersContext extends SubgraphContextBase {
  profiles: ProfileService;
  /** Per request, so every User reference in one request is one query. */
  profileById: ProfileLoader;
}
