import { ERRORS } from '@pyairtable/common/errors';
import { DateTimeScalar, isUuid, uuidPageRequest, type PageArguments } from '@pyairtable/common/graphql';
import { requireIdentity } from '@pyairtable/common/identity';
import type { SubgraphResolvers } from '@pyairtable/common/subgraphs';
import type { WorkspacesContext } from '../context.js';
import { canRead } from '../domain/workspace-policy.js';
import type { CreateWorkspaceInput, UpdateWorkspaceInput } from '../domain/workspaces.js';
import type { Membership, Workspace, WorkspaceRole } from '../generated/prisma/client.js';

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

export const resolvers: SubgraphResolvers<WorkspacesContext> = {
  DateTime: DateTimeScalar,

  Query: {
    workspaces: (_: unknown, args: PageArguments, { origin, loaders }: WorkspacesContext) =>
      loaders.sharedWorkspaces.load({ parentId: requireIdentity(origin).userId, page: uuidPageRequest(args, WORKSPACES_PAGE_SIZE) }),
    workspace(_: unknown, { id }: { id: string }, context: WorkspacesContext) {
      requireIdentity(context.origin);
      return visibleWorkspace(id, context);
    },
  },

  Mutation: {
    createWorkspace: (_: unknown, { input }: { input: CreateWorkspaceInput }, context: WorkspacesContext) =>
      write(context, context.workspaces.create(requireIdentity(context.origin), input)),
    updateWorkspace: (_: unknown, { id, input }: { id: string; input: UpdateWorkspaceInput }, context: WorkspacesContext) =>
      write(context, context.workspaces.update(requireIdentity(context.origin), id, input)),
    deleteWorkspace: (_: unknown, { id }: { id: string }, context: WorkspacesContext) =>
      write(context, context.workspaces.delete(requireIdentity(context.origin), id)),
    addWorkspaceMember: (
      _: unknown,
      { workspaceId, email, role }: { workspaceId: string; email: string; role: WorkspaceRole },
      context: WorkspacesContext,
    ) => write(context, context.workspaces.addMember(requireIdentity(context.origin), workspaceId, email, role)),
    updateWorkspaceMemberRole: (
      _: unknown,
      { workspaceId, userId, role }: { workspaceId: string; userId: string; role: WorkspaceRole },
      context: WorkspacesContext,
    ) => write(context, context.workspaces.changeRole(requireIdentity(context.origin), workspaceId, userId, role)),
    removeWorkspaceMember: (
      _: unknown,
      { workspaceId, userId }: { workspaceId: string; userId: string },
      context: WorkspacesContext,
    ) => write(context, context.workspaces.removeMember(requireIdentity(context.origin), workspaceId, userId)),
    transferWorkspaceOwnership: (
      _: unknown,
      { workspaceId, userId }: { workspaceId: string; userId: string },
      context: WorkspacesContext,
    ) => write(context, context.workspaces.transferOwnership(requireIdentity(context.origin), workspaceId, userId)),
  },

  Workspace: {
    __resolveReference: ({ id }: { id: string }, context: WorkspacesContext) => visibleWorkspace(id, context),
    async owner({ id }: Workspace, _: unknown, { loaders }: WorkspacesContext) {
      const ownerId = await loaders.ownerId.load(id);
      if (!ownerId) throw new Error(`workspace ${id} has no OWNER`);
      return { id: ownerId };
    },
    async myRole({ id }: Workspace, _: unknown, { loaders }: WorkspacesContext) {
      const role = await loaders.callerRole.load(id);
      if (!role) throw ERRORS.NOT_FOUND('Workspace not found');
      return role;
    },
    memberCount: ({ id }: Workspace, _: unknown, { loaders }: WorkspacesContext) => loaders.memberCount.load(id),
    members: ({ id }: Workspace, args: PageArguments, { loaders }: WorkspacesContext) =>
      loaders.members.load({ parentId: id, page: uuidPageRequest(args, MEMBERS_PAGE_SIZE) }),
  },

  WorkspaceMember: {
    user: ({ userId }: Membership) => ({ id: userId }),
  },

  User: {
    /** An anonymous caller shares no workspace with anyone. */
    workspaces: ({ id }: { id: string }, args: PageArguments, { loaders }: WorkspacesContext) =>
      loaders.sharedWorkspaces.load({ parentId: id, page: uuidPageRequest(args, WORKSPACES_PAGE_SIZE) }),
  },
};
