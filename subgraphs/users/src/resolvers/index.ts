import { DateTimeScalar } from '@pyairtable/common/graphql';
import { requireIdentity } from '@pyairtable/common/identity';
import type { SubgraphResolvers } from '@pyairtable/common/subgraphs';
import type { UsersContext } from '../context.js';
import type { UpdateProfileInput } from '../domain/profile-input.js';
import type { UserListArguments } from '../domain/profiles.js';

type NoArgs = Record<string, never>;

export const resolvers: SubgraphResolvers<UsersContext> = {
  DateTime: DateTimeScalar,

  Query: {
    me: (_: unknown, __: NoArgs, { origin, profiles, profileById }: UsersContext) => profiles.me(requireIdentity(origin), profileById),
    user: (_: unknown, { id }: { id: string }, { origin, profiles, profileById }: UsersContext) =>
      profiles.user(origin.identity, id, profileById),
    users: (_: unknown, args: UserListArguments, { origin, profiles }: UsersContext) => profiles.list(requireIdentity(origin), args),
  },

  Mutation: {
    updateMe: (_: unknown, { input }: { input: UpdateProfileInput }, { origin, profiles }: UsersContext) =>
      profiles.updateMe(requireIdentity(origin), input),
    updateUser: (_: unknown, { id, input }: { id: string; input: UpdateProfileInput }, { origin, profiles }: UsersContext) =>
      profiles.updateUser(requireIdentity(origin), id, input),
  },

  User: {
    __resolveReference: ({ id }: { id: string }, { profileById }: UsersContext) => profileById.load(id),
  },
};
