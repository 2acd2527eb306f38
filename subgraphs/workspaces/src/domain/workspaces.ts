import { ERRORS, badInput, graphQLError } from '@pyairtable/common/errors';
import { assertPlainText, isUuid } from '@pyairtable/common/graphql';
import { checkedEmail, type Identity } from '@pyairtable/common/identity';
import type { EventCatchUp } from '@pyairtable/common/events';
import type { Logger } from '@pyairtable/common/observability';
import type { LockedWorkspace, WorkspaceDetails, WorkspaceStore } from '../data/workspace-store.js';
import type { Membership, Workspace, WorkspaceRole } from '../generated/prisma/client.js';
import type { CreateWorkspaceInput, UpdateWorkspaceInput } from '../resolvers/resolvers-types.generated.js';
import {
  PREVIOUS_OWNER_ROLE,
  canAddMember,
  canChangeRole,
  canDelete,
  canEditDetails,
  canRead,
  canRemoveMember,
  canTransferOwnership,
  type Verdict,
} from './workspace-policy.js';

const NAME_MAX_LENGTH = 100;
const DESCRIPTION_MAX_LENGTH = 1000;
const EMAIL_MAX_LENGTH = 254;

function validName(raw: string): string {
  // Checked before trimming, which would quietly drop some invisible characters at the ends.
  assertPlainText(raw, 'name');
  const name = raw.trim();
  if (name.length < 1 || name.length > NAME_MAX_LENGTH) {
    throw badInput('name', `Name must be 1 to ${NAME_MAX_LENGTH} characters (after trimming)`);
  }
  return name;
}

/** An empty description is no description. */
function validDescription(raw: string | null | undefined): string | null {
  assertPlainText(raw ?? '', 'description', { multiline: true });
  const description = raw?.trim() ?? '';
  if (description.length > DESCRIPTION_MAX_LENGTH) {
    throw badInput('description', `Description must be at most ${DESCRIPTION_MAX_LENGTH} characters`);
  }
  return description.length > 0 ? description : null;
}

function normalizedEmail(raw: string): string {
  const email = checkedEmail(raw, 'email');
  if (email.length === 0 || email.length > EMAIL_MAX_LENGTH) throw badInput('email', 'Email address is not valid');
  return email;
}

function enforce(verdict: Verdict): void {
  if (!verdict.allowed) throw graphQLError(verdict.code, verdict.message, verdict.field ? { field: verdict.field } : {});
}

export interface WorkspaceServiceDependencies {
  workspaces: WorkspaceStore;
  /** An account registered a moment ago may not be known here yet: catch up with account events on a miss. */
  accounts: EventCatchUp;
  logger: Logger;
}

/**
 * The workspace mutations. Each one that touches an existing workspace runs under that workspace's row
 * lock, reads the roles it needs inside the lock, and asks the policy (workspace-policy.ts) before writing.
 */
export class WorkspaceService {
  constructor(private readonly deps: WorkspaceServiceDependencies) {}

  /** Runs `work` on the locked workspace; an id that cannot exist is answered like a workspace one is not in. */
  private async inWorkspace<T>(workspaceId: string, work: (workspace: LockedWorkspace) => Promise<T>): Promise<T> {
    if (!isUuid(workspaceId)) enforce(canRead(null));
    return this.deps.workspaces.withLockedWorkspace(workspaceId, work);
  }

  private static async roleOf(workspace: LockedWorkspace, userId: string): Promise<WorkspaceRole | null> {
    return isUuid(userId) ? workspace.roleOf(userId) : null;
  }

  create(identity: Identity, input: CreateWorkspaceInput): Promise<Workspace> {
    const details: WorkspaceDetails = { name: validName(input.name), description: validDescription(input.description) };
    return this.deps.workspaces.create(identity.userId, details);
  }

  update(identity: Identity, workspaceId: string, input: UpdateWorkspaceInput): Promise<Workspace> {
    const changes: Partial<WorkspaceDetails> = {};
    if (input.name !== undefined && input.name !== null) changes.name = validName(input.name);
    if (input.description !== undefined) changes.description = validDescription(input.description);
    return this.inWorkspace(workspaceId, async (workspace) => {
      enforce(canEditDetails(await workspace.roleOf(identity.userId)));
      return workspace.update(changes);
    });
  }

  delete(identity: Identity, workspaceId: string): Promise<boolean> {
    return this.inWorkspace(workspaceId, async (workspace) => {
      enforce(canDelete(await workspace.roleOf(identity.userId)));
      await workspace.delete();
      this.deps.logger.info({ workspaceId, by: identity.userId }, 'workspace deleted');
      return true;
    });
  }

  async addMember(identity: Identity, workspaceId: string, rawEmail: string, role: WorkspaceRole): Promise<Membership> {
    const email = normalizedEmail(rawEmail);
    const attempt = () =>
      this.inWorkspace(workspaceId, async (workspace) => {
        enforce(canAddMember(await workspace.roleOf(identity.userId), role));
        const userId = await workspace.lockAccountByEmail(email);
        if (userId === null) return null;
        if (await workspace.membership(userId)) throw ERRORS.CONFLICT('This user is already a member of the workspace');
        return workspace.addMember(userId, role);
      });
    const added = await this.deps.accounts.retryOnMiss(attempt, (membership) => membership === null, 'refuse');
    if (!added) throw ERRORS.NOT_FOUND('No account has this email');
    return added;
  }

  changeRole(identity: Identity, workspaceId: string, userId: string, role: WorkspaceRole): Promise<Membership> {
    return this.inWorkspace(workspaceId, async (workspace) => {
      const actor = await workspace.roleOf(identity.userId);
      enforce(canChangeRole(actor, await WorkspaceService.roleOf(workspace, userId), role));
      return workspace.setRole(userId, role);
    });
  }

  removeMember(identity: Identity, workspaceId: string, userId: string): Promise<boolean> {
    return this.inWorkspace(workspaceId, async (workspace) => {
      const actor = await workspace.roleOf(identity.userId);
      const target = await WorkspaceService.roleOf(workspace, userId);
      enforce(canRemoveMember(actor, target, userId === identity.userId));
      await workspace.removeMember(userId);
      return true;
    });
  }

  transferOwnership(identity: Identity, workspaceId: string, userId: string): Promise<Workspace> {
    return this.inWorkspace(workspaceId, async (workspace) => {
      const actor = await workspace.roleOf(identity.userId);
      const target = await WorkspaceService.roleOf(workspace, userId);
      enforce(canTransferOwnership(actor, target, userId === identity.userId));
      await workspace.setRole(identity.userId, PREVIOUS_OWNER_ROLE);
      await workspace.setRole(userId, 'OWNER');
      const transferred = await workspace.read();
      if (!transferred) throw new Error(`workspace ${workspaceId} vanished while locked`);
      this.deps.logger.info({ workspaceId, from: identity.userId, to: userId }, 'workspace ownership transferred');
      return transferred;
    });
  }
}
