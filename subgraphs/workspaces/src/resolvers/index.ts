// The workspaces subgraph's resolvers, typed by its generated Resolvers: thin, the rules are in domain/.
import { ERRORS } from '@pyairtable/common/errors';
import { DateTimeScalar, connectionTotalCount, emptyConnection, isUuid, uuidPageRequest } from '@pyairtable/common/graphql';
import { requireIdentity } from '@pyairtable/common/identity';
import type { WorkspacesContext } from '../context.js';
import { invitationReference, invitationStatus } from '../domain/invitations.js';
import { canRead, canSeeInvitations } from '../domain/workspace-policy.js';
import type { Workspace } from '../generated/prisma/client.js';
import type { Resolvers } from './resolvers-types.generated.js';

const WORKSPACES_PAGE_SIZE = 20;
const MEMBERS_PAGE_SIZE = 50;
const INVITATIONS_PAGE_SIZE = 50;

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
    myInvitations: (_, __, { origin, invitations }) => invitations.mine(requireIdentity(origin)),
  },

  Mutation: {
    async createWorkspace(_, { input }, context) {
      const workspace = await write(context, context.workspaces.create(requireIdentity(context.origin), input));
      context.loaders.rememberCreated(workspace);
      return workspace;
    },
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
    inviteWorkspaceMember: (_, { workspaceId, email, role }, context) =>
      write(context, context.invitations.invite(requireIdentity(context.origin), workspaceId, email, role)),
    resendWorkspaceInvitation: (_, { id }, context) => write(context, context.invitations.resend(requireIdentity(context.origin), id)),
    revokeWorkspaceInvitation: (_, { id }, context) => write(context, context.invitations.revoke(requireIdentity(context.origin), id)),
    acceptWorkspaceInvitation: (_, args, context) =>
      write(context, context.invitations.accept(requireIdentity(context.origin), invitationReference(args))),
    /** By token, the link is enough (signed in or not); by id, the invitee must be signed in. */
    declineWorkspaceInvitation: (_, args, context) => write(context, context.invitations.decline(context.origin.identity, invitationReference(args))),
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
    async invitations({ id }, args, { loaders }) {
      const page = uuidPageRequest(args, INVITATIONS_PAGE_SIZE);
      // What a member below ADMIN sees of a workspace's invitations.
      if (!canSeeInvitations(await loaders.callerRole.load(id))) return emptyConnection();
      return loaders.invitations.load({ parentId: id, page });
    },
  },

  WorkspaceConnection: { totalCount: connectionTotalCount },
  WorkspaceMemberConnection: { totalCount: connectionTotalCount },
  WorkspaceInvitationConnection: { totalCount: connectionTotalCount },

  WorkspaceInvitation: {
    status: (invitation) => invitationStatus(invitation),
  },

  WorkspaceMember: {
    user: ({ userId }) => ({ id: userId }),
  },

  User: {
    /** An anonymous caller shares no workspace with anyone. */
    workspaces: ({ id }, args, { loaders }) => loaders.sharedWorkspaces.load({ parentId: id, page: uuidPageRequest(args, WORKSPACES_PAGE_SIZE) }),
  },
};
