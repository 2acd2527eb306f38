import { DateTimeScalar } from '@pyairtable/common/graphql';
import { requireIdentity } from '@pyairtable/common/identity';
import type { SubgraphResolvers } from '@pyairtable/common/subgraphs';
import type { AuthContext } from '../context.js';
import type { RegisterInput } from '../domain/accounts.js';
import type { UserRole } from '../generated/prisma/client.js';

type NoArgs = Record<string, never>;

export const resolvers: SubgraphResolvers<AuthContext> = {
  DateTime: DateTimeScalar,

  Query: {
    sessions: (_: unknown, __: NoArgs, { origin, accounts }: AuthContext) => accounts.activeSessions(requireIdentity(origin)),
  },

  Mutation: {
    register: (_: unknown, { input }: { input: RegisterInput }, { origin, accounts }: AuthContext) =>
      accounts.register(input, origin),
    login: (_: unknown, { input }: { input: { email: string; password: string } }, { origin, accounts }: AuthContext) =>
      accounts.login(input, origin),
    refreshToken: (_: unknown, { refreshToken }: { refreshToken: string }, { accounts }: AuthContext) =>
      accounts.refresh(refreshToken),
    logout: (
      _: unknown,
      { refreshToken, allSessions }: { refreshToken?: string | null; allSessions?: boolean | null },
      { origin, accounts }: AuthContext,
    ) => accounts.logout(requireIdentity(origin), refreshToken, allSessions ?? false),
    changePassword: (
      _: unknown,
      { currentPassword, newPassword }: { currentPassword: string; newPassword: string },
      { origin, accounts }: AuthContext,
    ) => accounts.changePassword(requireIdentity(origin), currentPassword, newPassword),
    setUserRole: (_: unknown, { id, role }: { id: string; role: UserRole }, { origin, accounts }: AuthContext) =>
      accounts.setRole(requireIdentity(origin), id, role),
    deleteUser: (_: unknown, { id }: { id: string }, { origin, accounts }: AuthContext) =>
      accounts.deleteUser(requireIdentity(origin), id),
  },

  User: {
    __resolveReference: ({ id }: { id: string }, { userById }: AuthContext) => userById.load(id),
  },
};
