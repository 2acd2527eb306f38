// The auth subgraph's resolvers, typed by its generated Resolvers: thin, the rules are in domain/.
import { DateTimeScalar } from '@pyairtable/common/graphql';
import { requireIdentity } from '@pyairtable/common/identity';
import type { Resolvers } from './resolvers-types.generated.js';

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Query: {
    sessions: (_, __, { origin, accounts }) => accounts.activeSessions(requireIdentity(origin)),
  },

  Mutation: {
    register: (_, { input }, { origin, accounts }) => accounts.register(input, origin),
    login: (_, { input }, { origin, accounts }) => accounts.login(input, origin),
    refreshToken: (_, { refreshToken }, { accounts }) => accounts.refresh(refreshToken),
    logout: (_, { refreshToken, allSessions }, { origin, accounts }) => accounts.logout(requireIdentity(origin), refreshToken, allSessions),
    changePassword: (_, { currentPassword, newPassword }, { origin, accounts }) =>
      accounts.changePassword(requireIdentity(origin), currentPassword, newPassword),
    setUserRole: (_, { id, role }, { origin, accounts }) => accounts.setRole(requireIdentity(origin), id, role),
    deleteUser: (_, { id }, { origin, accounts }) => accounts.deleteUser(requireIdentity(origin), id),
    requestEmailVerification: (_, __, { origin, lifecycle }) => lifecycle.requestEmailVerification(requireIdentity(origin)),
    verifyEmail: (_, { token }, { lifecycle }) => lifecycle.verifyEmail(token),
    requestPasswordReset: (_, { email }, { lifecycle }) => lifecycle.requestPasswordReset(email),
    resetPassword: (_, { token, newPassword }, { origin, lifecycle }) => lifecycle.resetPassword(token, newPassword, origin),
    requestEmailChange: (_, { newEmail, currentPassword }, { origin, lifecycle }) =>
      lifecycle.requestEmailChange(requireIdentity(origin), newEmail, currentPassword),
    confirmEmailChange: (_, { token }, { lifecycle }) => lifecycle.confirmEmailChange(token),
  },

  User: {
    __resolveReference: ({ id }, { userById }) => userById.load(id),
    emailVerified: (user) => user.emailVerifiedAt !== null,
  },
};
