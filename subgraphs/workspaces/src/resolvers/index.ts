// The workspaces subgraph's resolvers, typed by its generated Resolvers: thin, the rules are in domain/.
import { ERRORS } from '@pyairtable/common/errors';
import { DateTimeScalar, isUuid, uuidPageRequest } from '@pyairtable/common/graphql';
import { requireIdentity } from '@pyairtable/common/identity';
import type { WorkspacesContext } from '../context.js';
import { canRead } from '../domain/workspace-policy.js';
import type { Workspace } from '../generated/prisma/client.js';
import type { Resolvers } from './resolvers-types.generated.js';

const WORKSPACES_PAGE_SIZE = 20;
const MEMBERS_PAGE_SIZE = 50;

/** A workspace the caller may see, or null: not there and not a member look the same. */
async function visibleWorkspace(id: string, { loaders }: WorkspacesContext): Promise<Workspace | null> {
  if (!isUuid(id) || !canRead(await loaders.callerRole.load(id)).allowed) return null;
  return loaders.workspaceById.load(id);
}

/** Runs a mutation, then forgets what this request loaded before it, which the mutation may have changed. */
async function write<T>({ loaders }: WorkspacesContext, mutation: Promise<T>): Promise<T> {
  try {
    return await mutation;
  } finally {
    loaders.forgetAll();
  }
}

export const resolvers: Resolvers = {
  DateTime: DateTimeScalar,

  Query: {
    workspaces: (_, args, { origin, loaders }) =>
      loaders.sharedWorkspaces.load({ parentId: requireIdentity(origin).userId, page: uuidPageRequest(args, WORKSPACES_PAGE_SIZE) }),
    workspace(_, { id }, context) {
      requireIdentity(context.origin);
      return visibleWorkspace(id, context);
    },
  },

  Mutation: {
    createWorkspace: (_, { input }, context) => write(context, context.workspaces.create(requireIdentity(context.origin), input)),
    updateWorkspace: (_, { id, input }, context) => write(context, context.workspaces.update(requireIdentity(context.origin), id, input)),
    deleteWorkspace: (_, { id }, context) => write(context, context.workspaces.delete(requireIdentity(context.origin), id)),
    addWorkspaceMember: (_, { workspaceId, email, role }, context) =>
      write(context, context.workspaces.addMember(requireIdentity(context.origin), workspaceId, email, role)),
    updateWorkspaceMemberRole: (_, { workspaceId, userId, role }, context) =>
      write(context, context.workspaces.changeRole(requireIdentity(context.origin), workspaceId, userId, role)),
    removeWorkspaceMember: (_, { workspaceId, userId }, context) =>
      write(context, context.workspaces.removeMember(requireIdentity(context.origin), workspaceId, userId)),
    transferWorkspaceOwnership: (_, { workspaceId, userId }, context) =>
      write(context, context.workspaces.transferOwnership(requireIdentity(context.origin), workspaceId, userId)),
  },

  Workspace: {
    __resolveReference: ({ id }, context) => visibleWorkspace(id, context),
    async owner({ id }, _, { loaders }) {
      const ownerId = await loaders.ownerId.load(id);
      if (!ownerId) throw new Error(`workspace ${id} has no OWNER`);
      return { id: ownerId };
    },
    async myRole({ id }, _, { loaders }) {
      const role = await loaders.callerRole.load(id);
      if (!role) throw ERRORS.NOT_FOUND('Workspace not found');
      return role;
    },
    memberCount: ({ id }, _, { loaders }) => loaders.memberCount.load(id),
    members: ({ id }, args, { loaders }) => loaders.members.load({ parentId: id, page: uuidPageRequest(args, MEMBERS_PAGE_SIZE) }),
  },

  WorkspaceMember: {
    user: ({ userId }) => ({ id: userId }),
  },

  User: {
    /** An anonymous caller shares no workspace with anyone. */
    workspaces: ({ id }, args, { loaders }) => loaders.sharedWorkspaces.load({ parentId: id, page: uuidPageRequest(args, WORKSPACES_PAGE_SIZE) }),
  },
};
