/** Who may do what in a workspace (API.md, "Workspaces"): every rule of workspace-policy.ts, role by role. */
import { describe, expect, it } from '@jest/globals';
import {
  PREVIOUS_OWNER_ROLE,
  canAddMember,
  canChangeRole,
  canDelete,
  canEditDetails,
  canRead,
  canRemoveMember,
  canTransferOwnership,
  successorOfDeletedOwner,
  type Candidate,
  type Verdict,
} from '../domain/workspace-policy.js';

type Role = 'OWNER' | 'ADMIN' | 'EDITOR' | 'COMMENTER' | 'VIEWER';
/** A role, or null for someone who is not a member (or a workspace that does not exist). */
type Member = Role | null;

/** A verdict in one word: ALLOWED, or the refusal's code (with its field, for BAD_USER_INPUT). */
function outcome(verdict: Verdict): string {
  if (verdict.allowed) return 'ALLOWED';
  return verdict.field === undefined ? verdict.code : `${verdict.code}(${verdict.field})`;
}

const ALLOWED = 'ALLOWED';
const FORBIDDEN = 'FORBIDDEN';
const NOT_FOUND = 'NOT_FOUND';

describe('reading, editing and deleting a workspace', () => {
  // actor → [canRead, canEditDetails, canDelete]
  it.each<[Member, string, string, string]>([
    ['OWNER', ALLOWED, ALLOWED, ALLOWED],
    ['ADMIN', ALLOWED, ALLOWED, FORBIDDEN],
    ['EDITOR', ALLOWED, FORBIDDEN, FORBIDDEN],
    ['COMMENTER', ALLOWED, FORBIDDEN, FORBIDDEN],
    ['VIEWER', ALLOWED, FORBIDDEN, FORBIDDEN],
    [null, NOT_FOUND, NOT_FOUND, NOT_FOUND],
  ])('%s: read %s, edit %s, delete %s', (actor, read, edit, remove) => {
    expect([outcome(canRead(actor)), outcome(canEditDetails(actor)), outcome(canDelete(actor))]).toEqual([read, edit, remove]);
  });

  it('answers a non-member as if the workspace did not exist', () => {
    for (const verdict of [canRead(null), canEditDetails(null), canDelete(null)]) {
      expect(verdict).toMatchObject({ allowed: false, code: 'NOT_FOUND', message: 'Workspace not found' });
    }
  });
});

describe('canAddMember', () => {
  const ROLES: Role[] = ['OWNER', 'ADMIN', 'EDITOR', 'COMMENTER', 'VIEWER'];
  const OWNER_NOT_ASSIGNABLE = 'BAD_USER_INPUT(role)';
  // actor → the outcome of adding a member with each of ROLES
  it.each<[Member, string[]]>([
    ['OWNER', [OWNER_NOT_ASSIGNABLE, ALLOWED, ALLOWED, ALLOWED, ALLOWED]],
    ['ADMIN', [OWNER_NOT_ASSIGNABLE, FORBIDDEN, ALLOWED, ALLOWED, ALLOWED]],
    ['EDITOR', [OWNER_NOT_ASSIGNABLE, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]],
    ['COMMENTER', [OWNER_NOT_ASSIGNABLE, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]],
    ['VIEWER', [OWNER_NOT_ASSIGNABLE, FORBIDDEN, FORBIDDEN, FORBIDDEN, FORBIDDEN]],
    [null, [NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND, NOT_FOUND]],
  ])('%s adding OWNER, ADMIN, EDITOR, COMMENTER, VIEWER: %j', (actor, expected) => {
    expect(ROLES.map((role) => outcome(canAddMember(actor, role)))).toEqual(expected);
  });

  it('says why', () => {
    expect(canAddMember('OWNER', 'OWNER')).toMatchObject({ message: 'OWNER is given only by transferWorkspaceOwnership', field: 'role' });
    expect(canAddMember('EDITOR', 'VIEWER')).toMatchObject({ message: 'Only the OWNER or an ADMIN can manage members' });
    expect(canAddMember('ADMIN', 'ADMIN')).toMatchObject({ message: 'Only the OWNER can grant or take the ADMIN role' });
  });
});

describe('canChangeRole', () => {
  it.each<[actor: Member, target: Member, role: Role, expected: string]>([
    // Nobody learns anything about a workspace they are not in, not even that the role asked for is wrong.
    [null, 'EDITOR', 'VIEWER', NOT_FOUND],
    [null, null, 'OWNER', NOT_FOUND],
    // OWNER is never given by a role change.
    ['OWNER', 'ADMIN', 'OWNER', 'BAD_USER_INPUT(role)'],
    ['ADMIN', 'EDITOR', 'OWNER', 'BAD_USER_INPUT(role)'],
    // Only managers change roles; they are told so before whether the target is a member.
    ['EDITOR', 'VIEWER', 'COMMENTER', FORBIDDEN],
    ['VIEWER', null, 'EDITOR', FORBIDDEN],
    ['COMMENTER', 'COMMENTER', 'EDITOR', FORBIDDEN],
    // A manager changing a non-member.
    ['ADMIN', null, 'EDITOR', NOT_FOUND],
    ['OWNER', null, 'ADMIN', NOT_FOUND],
    // The OWNER's role is fixed, also for the OWNER.
    ['OWNER', 'OWNER', 'ADMIN', FORBIDDEN],
    ['ADMIN', 'OWNER', 'EDITOR', FORBIDDEN],
    // An ADMIN manages the roles below ADMIN, and neither grants nor takes ADMIN.
    ['ADMIN', 'EDITOR', 'VIEWER', ALLOWED],
    ['ADMIN', 'VIEWER', 'COMMENTER', ALLOWED],
    ['ADMIN', 'EDITOR', 'ADMIN', FORBIDDEN],
    ['ADMIN', 'ADMIN', 'EDITOR', FORBIDDEN],
    ['ADMIN', 'ADMIN', 'ADMIN', FORBIDDEN],
    // The OWNER grants and takes ADMIN.
    ['OWNER', 'EDITOR', 'ADMIN', ALLOWED],
    ['OWNER', 'ADMIN', 'VIEWER', ALLOWED],
    ['OWNER', 'COMMENTER', 'EDITOR', ALLOWED],
  ])('%s changing %s to %s: %s', (actor, target, role, expected) => {
    expect(outcome(canChangeRole(actor, target, role))).toBe(expected);
  });

  it('tells a missing member from a missing workspace', () => {
    expect(canChangeRole('ADMIN', null, 'EDITOR')).toMatchObject({ message: 'This user is not a member of the workspace' });
    expect(canChangeRole(null, 'EDITOR', 'VIEWER')).toMatchObject({ message: 'Workspace not found' });
    expect(canChangeRole('OWNER', 'OWNER', 'ADMIN')).toMatchObject({ message: expect.stringContaining('transferWorkspaceOwnership') });
  });
});

describe('canRemoveMember', () => {
  it.each<[actor: Member, target: Member, removingSelf: boolean, expected: string]>([
    [null, 'EDITOR', false, NOT_FOUND],
    [null, null, true, NOT_FOUND],
    // Any member but the OWNER may leave.
    ['ADMIN', 'ADMIN', true, ALLOWED],
    ['EDITOR', 'EDITOR', true, ALLOWED],
    ['COMMENTER', 'COMMENTER', true, ALLOWED],
    ['VIEWER', 'VIEWER', true, ALLOWED],
    ['OWNER', 'OWNER', true, FORBIDDEN],
    // Nobody removes the OWNER.
    ['ADMIN', 'OWNER', false, FORBIDDEN],
    // Only managers remove others, and they are told so before whether the target is a member.
    ['EDITOR', 'VIEWER', false, FORBIDDEN],
    ['VIEWER', 'VIEWER', false, FORBIDDEN],
    ['COMMENTER', null, false, FORBIDDEN],
    ['ADMIN', null, false, NOT_FOUND],
    ['OWNER', null, false, NOT_FOUND],
    // An ADMIN removes members below ADMIN; only the OWNER removes an ADMIN.
    ['ADMIN', 'EDITOR', false, ALLOWED],
    ['ADMIN', 'COMMENTER', false, ALLOWED],
    ['ADMIN', 'VIEWER', false, ALLOWED],
    ['ADMIN', 'ADMIN', false, FORBIDDEN],
    ['OWNER', 'ADMIN', false, ALLOWED],
    ['OWNER', 'VIEWER', false, ALLOWED],
  ])('%s removing %s (self: %s): %s', (actor, target, removingSelf, expected) => {
    expect(outcome(canRemoveMember(actor, target, removingSelf))).toBe(expected);
  });
});

describe('canTransferOwnership', () => {
  it.each<[actor: Member, target: Member, toSelf: boolean, expected: string]>([
    [null, 'ADMIN', false, NOT_FOUND],
    ['ADMIN', 'EDITOR', false, FORBIDDEN],
    ['ADMIN', 'ADMIN', true, FORBIDDEN],
    ['EDITOR', 'ADMIN', false, FORBIDDEN],
    ['VIEWER', null, false, FORBIDDEN],
    ['OWNER', null, false, NOT_FOUND],
    ['OWNER', 'OWNER', true, 'BAD_USER_INPUT(userId)'],
    ['OWNER', 'ADMIN', false, ALLOWED],
    ['OWNER', 'EDITOR', false, ALLOWED],
    ['OWNER', 'VIEWER', false, ALLOWED],
  ])('%s handing ownership to %s (self: %s): %s', (actor, target, toSelf, expected) => {
    expect(outcome(canTransferOwnership(actor, target, toSelf))).toBe(expected);
  });

  it('keeps the previous owner on as ADMIN', () => {
    expect(PREVIOUS_OWNER_ROLE).toBe('ADMIN');
  });
});

describe('successorOfDeletedOwner', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const member = (userId: string, role: Role, day: number): Candidate => ({ userId, role, joinedAt: at(day) });

  it('is the longest-standing ADMIN, whatever the order members are listed in', () => {
    const members = [member('c', 'ADMIN', 9), member('a', 'EDITOR', 1), member('b', 'ADMIN', 3), member('d', 'ADMIN', 5)];
    expect(successorOfDeletedOwner(members)).toBe('b');
    expect(successorOfDeletedOwner([...members].reverse())).toBe('b');
  });

  it('breaks a tie in joining time by user id', () => {
    expect(successorOfDeletedOwner([member('user-9', 'ADMIN', 2), member('user-1', 'ADMIN', 2), member('user-5', 'ADMIN', 2)])).toBe('user-1');
  });

  it('passes over every role but ADMIN, however long-standing', () => {
    const members = [member('owner', 'OWNER', 1), member('editor', 'EDITOR', 1), member('commenter', 'COMMENTER', 1), member('admin', 'ADMIN', 30)];
    expect(successorOfDeletedOwner(members)).toBe('admin');
  });

  it('is nobody when there is no ADMIN (the workspace is then deleted)', () => {
    expect(successorOfDeletedOwner([])).toBeNull();
    expect(successorOfDeletedOwner([member('owner', 'OWNER', 1), member('editor', 'EDITOR', 2), member('viewer', 'VIEWER', 3)])).toBeNull();
  });

  it('leaves the list it is given as it was', () => {
    const members = [member('late', 'ADMIN', 9), member('early', 'ADMIN', 1)];
    successorOfDeletedOwner(members);
    expect(members.map((candidate) => candidate.userId)).toEqual(['late', 'early']);
  });
});
