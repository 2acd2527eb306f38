import DataLoader from 'dataloader';
import { ERRORS } from '@pyairtable/common/errors';
import { assertPlainText, isUuid, toConnection, uuidPageRequest, type Connection } from '@pyairtable/common/graphql';
import type { Identity } from '@pyairtable/common/identity';
import type { EventCatchUp, WhenCatchUpFails } from '@pyairtable/common/events';
import type { Profile, ProfileStore } from '../data/profile-store.js';
import type { QueryUsersArgs, UpdateProfileInput } from '../resolvers/resolvers-types.generated.js';
import { validProfileChanges } from './profile-input.js';

/** What the users query returns (codegen.ts maps UserConnection to it). */
export type ProfilePage = Connection<Profile>;

export interface ProfileServiceDependencies {
  profiles: ProfileStore;
  /** A profile that is missing may only be late (its user registered a moment ago): catch up once before "none". */
  accounts: EventCatchUp;
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
    const userIds = [...new Set(ids.filter(isUuid))];
    const profiles = await this.deps.accounts.retryOnMiss(
      () => this.deps.profiles.findManyByIds(userIds),
      (found) => found.length < userIds.length,
      'answer',
    );
    const found = new Map(profiles.map((profile) => [profile.id, profile]));
    return ids.map((id) => found.get(id) ?? null);
  }

  async me(identity: Identity, loader: ProfileLoader): Promise<Profile> {
    // A signed-in caller without a profile is most likely one whose registration has not reached us: when the
    // events cannot be read (Redis away), say so rather than that the account is gone.
    const profile =
      (await loader.load(identity.userId)) ??
      (await this.deps.accounts.retryOnMiss(
        async () => (await this.deps.profiles.findManyByIds([identity.userId]))[0] ?? null,
        (found) => found === null,
        'refuse',
      ));
    if (!profile) throw ERRORS.UNAUTHENTICATED('This account no longer exists');
    return profile;
  }

  /** The caller themself, or anyone for an ADMIN; null otherwise (anonymous callers included), as the contract says. */
  async user(identity: Identity | null, id: string, loader: ProfileLoader): Promise<Profile | null> {
    if (!identity || (id !== identity.userId && identity.role !== 'ADMIN')) return null;
    return loader.load(id);
  }

  async list(identity: Identity, args: QueryUsersArgs): Promise<ProfilePage> {
    if (identity.role !== 'ADMIN') throw ERRORS.FORBIDDEN('Only an ADMIN can list users');
    const page = uuidPageRequest(args);
    // A blank search is no search.
    if (args.search) assertPlainText(args.search, 'search');
    const search = args.search?.trim() ?? '';
    const matching = search === '' ? null : search;
    const rows = await this.deps.profiles.findPage(page, matching);
    return toConnection(
      rows,
      page,
      () => this.deps.profiles.count(matching),
      (profile) => ({ createdAt: profile.registeredAt, id: profile.id }),
    );
  }

  async updateMe(identity: Identity, input: UpdateProfileInput): Promise<Profile> {
    const profile = await this.update(identity.userId, input, 'refuse');
    if (!profile) throw ERRORS.UNAUTHENTICATED('This account no longer exists');
    return profile;
  }

  async updateUser(identity: Identity, id: string, input: UpdateProfileInput): Promise<Profile> {
    if (identity.role !== 'ADMIN') throw ERRORS.FORBIDDEN("Only an ADMIN can update another user's profile");
    const profile = await this.update(id, input, 'answer');
    if (!profile) throw ERRORS.NOT_FOUND('User not found');
    return profile;
  }

  private async update(id: string, input: UpdateProfileInput, whenCatchUpFails: WhenCatchUpFails): Promise<Profile | null> {
    const changes = validProfileChanges(input);
    if (!isUuid(id)) return null;
    return this.deps.accounts.retryOnMiss(
      () => this.deps.profiles.update(id, changes),
      (updated) => updated === null,
      whenCatchUpFails,
    );
  }
}
