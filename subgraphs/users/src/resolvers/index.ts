// The users subgraph's resolvers, typed by its generated Resolvers: thin, the rules are in domain/.
import { DateTimeScalar, connectionTotalCount } from '@pyairtable/common/graphql';
import { requireIdentity } from '@pyairtable/common/identity';
import type { Resolvers } from './resolvers-types.generated.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Query: {
    me: (_, __, { origin, profiles, profileById }) => profiles.me(requireIdentity(origin), profileById),
    user: (_, { id }, { origin, profiles, profileById }) => profiles.user(origin.identity, id, profileById),
    users: (_, args, { origin, profiles }) => profiles.list(requireIdentity(origin), args),
  },

  Mutation: {
    updateMe: (_, { input }, { origin, profiles }) => profiles.updateMe(requireIdentity(origin), input),
    updateUser: (_, { id, input }, { origin, profiles }) => profiles.updateUser(requireIdentity(origin), id, input),
  },

  UserConnection: { totalCount: connectionTotalCount },

  User: {
    __resolveReference: ({ id }, { profileById }) => profileById.load(id),
  },
};
