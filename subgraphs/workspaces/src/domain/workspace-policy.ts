import type { WorkspaceRole } from '../generated/prisma/enums.js';

/**
 * Every rule of who may do what in a workspace (API.md, "Workspaces"), as pure functions of roles. The
 * actor's role is null when the actor is not a member — or the workspace does not exist: both answer
 * NOT_FOUND, so nobody learns that a workspace they are not in exists.
 *
 * Each function answers `ALLOWED` or a refusal carrying the error code and message the client gets.
 */

export interface Refusal {
  allowed: false;
  code: 'NOT_FOUND' | 'FORBIDDEN' | 'BAD_USER_INPUT';
  message: string;
  field?: string;
}

export type Verdict = { allowed: true } | Refusal;

export const ALLOWED: Verdict = { allowed: true };

const RANK: Record<WorkspaceRole, number> = { OWNER: 4, ADMIN: 3, EDITOR: 2, COMMENTER: 1, VIEWER: 0 };

function isAtLeast(role: WorkspaceRole, lowest: WorkspaceRole): boolean {
  return RANK[role] >= RANK[lowest];
}

const refuse = (code: Refusal['code'], message: string, field?: string): Refusal => ({ allowed: false, code, message, field });

const WORKSPACE_NOT_FOUND = refuse('NOT_FOUND', 'Workspace not found');
const MEMBER_NOT_FOUND = refuse('NOT_FOUND', 'This user is not a member of the workspace');
const MANAGERS_ONLY = refuse('FORBIDDEN', 'Only the OWNER or an ADMIN can manage members');
const OWNER_GRANTS_ADMIN = refuse('FORBIDDEN', 'Only the OWNER can grant or take the ADMIN role');
const OWNER_ROLE_IS_FIXED = refuse(
  'FORBIDDEN',
  'The OWNER cannot be removed, leave or change role; hand ownership over with transferWorkspaceOwnership first',
);
const OWNER_NOT_ASSIGNABLE = refuse('BAD_USER_INPUT', 'OWNER is given only by transferWorkspaceOwnership', 'role');

/** Any member reads the workspace and its members. */
export function canRead(actor: WorkspaceRole | null): Verdict {
  return actor === null ? WORKSPACE_NOT_FOUND : ALLOWED;
}

/** Renaming or describing: OWNER or ADMIN. */
export function canEditDetails(actor: WorkspaceRole | null): Verdict {
  if (actor === null) return WORKSPACE_NOT_FOUND;
  return isAtLeast(actor, 'ADMIN') ? ALLOWED : refuse('FORBIDDEN', 'Only the OWNER or an ADMIN can rename or describe the workspace');
}

export function canDelete(actor: WorkspaceRole | null): Verdict {
  if (actor === null) return WORKSPACE_NOT_FOUND;
  return actor === 'OWNER' ? ALLOWED : refuse('FORBIDDEN', 'Only the OWNER can delete the workspace');
}

/** OWNER and ADMIN add members below ADMIN; only the OWNER adds an ADMIN; nobody adds an OWNER. */
export function canAddMember(actor: WorkspaceRole | null, role: WorkspaceRole): Verdict {
  if (actor === null) return WORKSPACE_NOT_FOUND;
  if (role === 'OWNER') return OWNER_NOT_ASSIGNABLE;
  if (!isAtLeast(actor, 'ADMIN')) return MANAGERS_ONLY;
  if (isAtLeast(role, 'ADMIN') && actor !== 'OWNER') return OWNER_GRANTS_ADMIN;
  return ALLOWED;
}

const INVITATION_NOT_FOUND = refuse('NOT_FOUND', 'Invitation not found');
const OWNER_NOT_INVITABLE = refuse('BAD_USER_INPUT', 'OWNER cannot be invited; hand ownership over with transferWorkspaceOwnership', 'role');

/** Inviting follows the rules of adding: OWNER and ADMIN invite below ADMIN; only the OWNER invites an ADMIN; nobody invites an OWNER. */
export function canInvite(actor: WorkspaceRole | null, role: WorkspaceRole): Verdict {
  if (actor === null) return WORKSPACE_NOT_FOUND;
  if (role === 'OWNER') return OWNER_NOT_INVITABLE;
  if (!isAtLeast(actor, 'ADMIN')) return refuse('FORBIDDEN', 'Only the OWNER or an ADMIN can invite');
  if (isAtLeast(role, 'ADMIN') && actor !== 'OWNER') return refuse('FORBIDDEN', 'Only the OWNER can invite as ADMIN');
  return ALLOWED;
}

/**
 * Resending or revoking an invitation: whoever could have sent it (so only the OWNER touches an invitation as
 * ADMIN). Someone not in the workspace learns nothing about it.
 */
export function canManageInvitation(actor: WorkspaceRole | null, invitedRole: WorkspaceRole): Verdict {
  if (actor === null) return INVITATION_NOT_FOUND;
  if (!isAtLeast(actor, 'ADMIN')) return refuse('FORBIDDEN', 'Only the OWNER or an ADMIN can manage invitations');
  if (isAtLeast(invitedRole, 'ADMIN') && actor !== 'OWNER') return refuse('FORBIDDEN', 'Only the OWNER can manage an invitation as ADMIN');
  return ALLOWED;
}

/** Who sees a workspace's pending invitations: the OWNER and ADMINs (others get an empty list). */
export function canSeeInvitations(actor: WorkspaceRole | null): boolean {
  return actor !== null && isAtLeast(actor, 'ADMIN');
}

/** The rules of adding, and the member's current role counts too: only the OWNER takes ADMIN away. */
export function canChangeRole(actor: WorkspaceRole | null, target: WorkspaceRole | null, role: WorkspaceRole): Verdict {
  if (actor === null) return WORKSPACE_NOT_FOUND;
  if (role === 'OWNER') return OWNER_NOT_ASSIGNABLE;
  if (!isAtLeast(actor, 'ADMIN')) return MANAGERS_ONLY;
  if (target === null) return MEMBER_NOT_FOUND;
  if (target === 'OWNER') return OWNER_ROLE_IS_FIXED;
  if ((isAtLeast(target, 'ADMIN') || isAtLeast(role, 'ADMIN')) && actor !== 'OWNER') return OWNER_GRANTS_ADMIN;
  return ALLOWED;
}

/** Any member but the OWNER may leave; OWNER and ADMIN remove members below ADMIN; only the OWNER removes an ADMIN. */
export function canRemoveMember(actor: WorkspaceRole | null, target: WorkspaceRole | null, removingSelf: boolean): Verdict {
  if (actor === null) return WORKSPACE_NOT_FOUND;
  if (target === 'OWNER') return OWNER_ROLE_IS_FIXED;
  if (removingSelf) return ALLOWED;
  if (!isAtLeast(actor, 'ADMIN')) return MANAGERS_ONLY;
  if (target === null) return MEMBER_NOT_FOUND;
  if (isAtLeast(target, 'ADMIN') && actor !== 'OWNER') return OWNER_GRANTS_ADMIN;
  return ALLOWED;
}

/** Only the OWNER hands ownership over, to another member; the previous owner stays on as ADMIN. */
export function canTransferOwnership(actor: WorkspaceRole | null, target: WorkspaceRole | null, toSelf: boolean): Verdict {
  if (actor === null) return WORKSPACE_NOT_FOUND;
  if (actor !== 'OWNER') return refuse('FORBIDDEN', 'Only the OWNER can transfer ownership');
  if (target === null) return MEMBER_NOT_FOUND;
  if (toSelf) return refuse('BAD_USER_INPUT', 'You already own this workspace', 'userId');
  return ALLOWED;
}

/** The role the previous owner keeps after handing ownership over. */
export const PREVIOUS_OWNER_ROLE: WorkspaceRole = 'ADMIN';

export interface Candidate {
  userId: string;
  role: WorkspaceRole;
  joinedAt: Date;
}

/**
 * Who owns a workspace once its OWNER's account is deleted: the longest-standing ADMIN (earliest joined,
 * ties by user id); null when it has no ADMIN, and then the workspace is deleted.
 */
export function successorOfDeletedOwner(members: readonly Candidate[]): string | null {
  const admins = members
    .filter((member) => member.role === 'ADMIN')
    .sort((a, b) => a.joinedAt.getTime() - b.joinedAt.getTime() || a.userId.localeCompare(b.userId));
  return admins[0]?.userId ?? null;
}
