import DataLoader from 'dataloader';
import { ERRORS } from '@pyairtable/common/errors';
import { isUuid, toConnection, uuidPageRequest, type Connection } from '@pyairtable/common/graphql';
import type { Identity } from '@pyairtable/common/identity';
import type { Logger } from '@pyairtable/common/observability';
import type { Profile, ProfileStore } from '../data/profile-store.js';
import type { QueryUsersArgs, UpdateProfileInput } from '../resolvers/resolvers-types.generated.js';
import { validProfileChanges } from './profile-input.js';

export interface ProfileServiceDependencies {
  profiles: ProfileStore;
  /**
   * Applies account events already published but not applied here yet. A profile that is missing may only
   * be late (its user registered a moment ago), so a miss calls this once before answering "none".
   */
  catchUpWithAccounts: () => Promise<void>;
  logger: Logger;
}

/** Per request: every profile asked for by id in one request is one query (and at most one catch-up). */
export type ProfileLoader = DataLoader<string, Profile | null>;

/** The rules of profiles: who may read and change which, and how a read waits for a just-registered account. */
export class ProfileService {
  constructor(private readonly deps: ProfileServiceDependencies) {}

  createLoader(): ProfileLoader {
    return new DataLoader((ids: readonly string[]) => this.findByIds(ids));
  }

  private async findByIds(ids: readonly string[]): Promise<Array<Profile | null>> {
    const userIds = ids.filter(isUuid);
    const found = new Map((await this.deps.profiles.findManyByIds(userIds)).map((profile) => [profile.id, profile]));
    const missing = userIds.filter((id) => !found.has(id));
    if (missing.length > 0 && (await this.caughtUp())) {
      for (const profile of await this.deps.profiles.findManyByIds(missing)) found.set(profile.id, profile);
    }
    return ids.map((id) => found.get(id) ?? null);
  }

  private async caughtUp(): Promise<boolean> {
    try {
      await this.deps.catchUpWithAccounts();
      return true;
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'could not catch up with account events; answering from what is applied');
      return false;
    }
  }

  async me(identity: Identity, loader: ProfileLoader): Promise<Profile> {
    const profile = await loader.load(identity.userId);
    if (!profile) throw ERRORS.UNAUTHENTICATED('This account no longer exists');
    return profile;
  }

  /** The caller themself, or anyone for an ADMIN; null for anyone else, as for an unknown id. */
  /** The caller themself, or anyone for an ADMIN; null otherwise (anonymous callers included), as the contract says. */
  async user(identity: Identity | null, id: string, loader: ProfileLoader): Promise<Profile | null> {
    if (!identity || (id !== identity.userId && identity.role !== 'ADMIN')) return null;
    return loader.load(id);
  }

  async list(identity: Identity, args: QueryUsersArgs): Promise<Connection<Profile>> {
    if (identity.role !== 'ADMIN') throw ERRORS.FORBIDDEN('Only an ADMIN can list users');
    const page = uuidPageRequest(args);
    const search = args.search?.trim() || null;
    const { rows, totalCount } = await this.deps.profiles.findPage(page, search);
    return toConnection(rows, page, totalCount, (profile) => ({ createdAt: profile.registeredAt, id: profile.id }));
  }

  async updateMe(identity: Identity, input: UpdateProfileInput): Promise<Profile> {
    const profile = await this.update(identity.userId, input);
    if (!profile) throw ERRORS.UNAUTHENTICATED('This account no longer exists');
    return profile;
  }

  async updateUser(identity: Identity, id: string, input: UpdateProfileInput): Promise<Profile> {
    if (identity.role !== 'ADMIN') throw ERRORS.FORBIDDEN("Only an ADMIN can update another user's profile");
    const profile = await this.update(id, input);
    if (!profile) throw ERRORS.NOT_FOUND('User not found');
    return profile;
  }

  private async update(id: string, input: UpdateProfileInput): Promise<Profile | null> {
    const changes = validProfileChanges(input);
    if (!isUuid(id)) return null;
    const updated = await this.deps.profiles.update(id, changes);
    if (updated || !(await this.caughtUp())) return updated;
    return this.deps.profiles.update(id, changes);
  }
}
