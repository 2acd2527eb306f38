import { z } from 'zod';

export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

export interface RouteInput {
  body: Record<string, unknown>;
  query: Record<string, unknown>;
  params: Record<string, string>;
}

/** One REST route of the seed system, answered by one GraphQL operation of operations/rest/. */
export interface RestRoute {
  method: HttpMethod;
  /** Under /api/v1, in express syntax (":id"). */
  path: string;
  summary: string;
  operation: string;
  body?: z.ZodObject;
  /** The body may be left out altogether (no Content-Type, no content): it reads as `{}`. */
  bodyOptional?: boolean;
  query?: z.ZodObject;
  signedIn: boolean;
  variables: (input: RouteInput) => Record<string, unknown>;
  /** The operation's root field whose value is the answer. */
  field: string;
  /** 202: accepted, answered with an empty object `{}` whatever the operation returned (nothing is revealed). */
  status: 200 | 201 | 202 | 204;
  /** OpenAPI component describing the answer (none for 202 and 204). */
  responseSchema?: 'TokenResponse' | 'User' | 'UserList' | 'Workspace' | 'WorkspaceList' | 'Invitation';
  /** A null answer means the object is absent or hidden: 404 NOT_FOUND. */
  nullIsNotFound?: boolean;
  /** When the path's `:id` is the caller's own id, this operation answers instead (PUT /users/<own id> is PUT /users/me). */
  forCaller?: Pick<RestRoute, 'operation' | 'field' | 'variables'>;
}

const email = z.string().min(1).max(320);
const password = z.string().min(1).max(1024);
const pageQuery = {
  first: z.coerce.number().int().min(1).max(100).optional(),
  after: z.string().min(1).optional(),
};
const profileBody = z.object({
  display_name: z.string().optional(),
  avatar_url: z.string().nullable().optional(),
  bio: z.string().nullable().optional(),
  timezone: z.string().nullable().optional(),
});

function profileInput(body: Record<string, unknown>) {
  return { displayName: body['display_name'], avatarUrl: body['avatar_url'], bio: body['bio'], timezone: body['timezone'] };
}

const byId = ({ params }: RouteInput) => ({ id: params['id'] });

export const REST_ROUTES: RestRoute[] = [
  {
    method: 'post',
    path: '/auth/register',
    summary: 'Create an account and sign in',
    operation: 'RestRegister',
    body: z.object({ email, password, display_name: z.string().optional() }),
    signedIn: false,
    variables: ({ body }) => ({ input: { email: body['email'], password: body['password'], displayName: body['display_name'] } }),
    field: 'register',
    status: 201,
    responseSchema: 'TokenResponse',
  },
  {
    method: 'post',
    path: '/auth/login',
    summary: 'Exchange email and password for tokens',
    operation: 'RestLogin',
    body: z.object({ email, password }),
    signedIn: false,
    variables: ({ body }) => ({ input: { email: body['email'], password: body['password'] } }),
    field: 'login',
    status: 200,
    responseSchema: 'TokenResponse',
  },
  {
    method: 'post',
    path: '/auth/refresh',
    summary: 'Rotate a refresh token',
    operation: 'RestRefresh',
    body: z.object({ refresh_token: z.string().min(1) }),
    signedIn: false,
    variables: ({ body }) => ({ refreshToken: body['refresh_token'] }),
    field: 'refreshToken',
    status: 200,
    responseSchema: 'TokenResponse',
  },
  {
    method: 'post',
    path: '/auth/logout',
    summary: 'Revoke the current session (and the given refresh token’s)',
    operation: 'RestLogout',
    body: z.object({ refresh_token: z.string().min(1).optional() }),
    bodyOptional: true,
    signedIn: true,
    variables: ({ body }) => ({ refreshToken: body['refresh_token'] ?? null }),
    field: 'logout',
    status: 204,
  },
  {
    method: 'post',
    path: '/auth/verify-email',
    summary: 'Confirm an email address with the token from the verification email',
    operation: 'RestVerifyEmail',
    body: z.object({ token: z.string().min(1) }),
    signedIn: false,
    variables: ({ body }) => ({ token: body['token'] }),
    field: 'verifyEmail',
    status: 200,
    responseSchema: 'User',
  },
  {
    method: 'post',
    path: '/auth/password-reset',
    summary: 'Email a password-reset link; accepted whether or not an account has the email',
    operation: 'RestRequestPasswordReset',
    body: z.object({ email }),
    signedIn: false,
    variables: ({ body }) => ({ email: body['email'] }),
    field: 'requestPasswordReset',
    status: 202,
  },
  {
    method: 'post',
    path: '/auth/password-reset/confirm',
    summary: 'Set a new password with the token from the reset email: every session is revoked, a new one signed in',
    operation: 'RestResetPassword',
    body: z.object({ token: z.string().min(1), new_password: password }),
    signedIn: false,
    variables: ({ body }) => ({ token: body['token'], newPassword: body['new_password'] }),
    field: 'resetPassword',
    status: 200,
    responseSchema: 'TokenResponse',
  },
  {
    method: 'get',
    path: '/users/me',
    summary: 'The signed-in user',
    operation: 'RestMe',
    signedIn: true,
    variables: () => ({}),
    field: 'me',
    status: 200,
    responseSchema: 'User',
  },
  {
    method: 'put',
    path: '/users/me',
    summary: 'Update the signed-in user’s profile',
    operation: 'RestUpdateMe',
    body: profileBody,
    signedIn: true,
    variables: ({ body }) => ({ input: profileInput(body) }),
    field: 'updateMe',
    status: 200,
    responseSchema: 'User',
  },
  {
    method: 'get',
    path: '/users',
    summary: 'All users, newest first (ADMIN only)',
    operation: 'RestUsers',
    query: z.object({ ...pageQuery, search: z.string().optional() }),
    signedIn: true,
    variables: ({ query }) => ({ first: query['first'], after: query['after'], search: query['search'] }),
    field: 'users',
    status: 200,
    responseSchema: 'UserList',
  },
  {
    method: 'get',
    path: '/users/:id',
    summary: 'A user: yourself, or anyone for an ADMIN',
    operation: 'RestUser',
    signedIn: true,
    variables: byId,
    field: 'user',
    status: 200,
    responseSchema: 'User',
    nullIsNotFound: true,
  },
  {
    method: 'put',
    path: '/users/:id',
    summary: 'Update a user’s profile: your own, or anyone’s for an ADMIN',
    operation: 'RestUpdateUser',
    body: profileBody,
    signedIn: true,
    variables: ({ params, body }) => ({ id: params['id'], input: profileInput(body) }),
    field: 'updateUser',
    status: 200,
    responseSchema: 'User',
    forCaller: { operation: 'RestUpdateMe', field: 'updateMe', variables: ({ body }) => ({ input: profileInput(body) }) },
  },
  {
    method: 'delete',
    path: '/users/:id',
    summary: 'Delete an account (yourself, or anyone for an ADMIN)',
    operation: 'RestDeleteUser',
    signedIn: true,
    variables: byId,
    field: 'deleteUser',
    status: 204,
  },
  {
    method: 'get',
    path: '/workspaces',
    summary: 'Workspaces the caller belongs to, newest first',
    operation: 'RestWorkspaces',
    query: z.object(pageQuery),
    signedIn: true,
    variables: ({ query }) => ({ first: query['first'], after: query['after'] }),
    field: 'workspaces',
    status: 200,
    responseSchema: 'WorkspaceList',
  },
  {
    method: 'post',
    path: '/workspaces',
    summary: 'Create a workspace; the caller becomes its OWNER',
    operation: 'RestCreateWorkspace',
    body: z.object({ name: z.string(), description: z.string().nullable().optional() }),
    signedIn: true,
    variables: ({ body }) => ({ input: { name: body['name'], description: body['description'] } }),
    field: 'createWorkspace',
    status: 201,
    responseSchema: 'Workspace',
  },
  {
    method: 'get',
    path: '/workspaces/:id',
    summary: 'A workspace the caller belongs to',
    operation: 'RestWorkspace',
    signedIn: true,
    variables: byId,
    field: 'workspace',
    status: 200,
    responseSchema: 'Workspace',
    nullIsNotFound: true,
  },
  {
    method: 'put',
    path: '/workspaces/:id',
    summary: 'Rename or describe a workspace (OWNER or ADMIN)',
    operation: 'RestUpdateWorkspace',
    body: z.object({ name: z.string().optional(), description: z.string().nullable().optional() }),
    signedIn: true,
    variables: ({ params, body }) => ({ id: params['id'], input: { name: body['name'], description: body['description'] } }),
    field: 'updateWorkspace',
    status: 200,
    responseSchema: 'Workspace',
  },
  {
    method: 'delete',
    path: '/workspaces/:id',
    summary: 'Delete a workspace (OWNER only)',
    operation: 'RestDeleteWorkspace',
    signedIn: true,
    variables: byId,
    field: 'deleteWorkspace',
    status: 204,
  },
  // Invitations: the sender invites by email; the invitee joins with the token from the mail's link.
  {
    method: 'post',
    path: '/workspaces/:id/invitations',
    summary: 'Invite anyone by email, with or without an account (OWNER or ADMIN; only the OWNER invites as ADMIN)',
    operation: 'RestInviteWorkspaceMember',
    body: z.object({ email, role: z.enum(['OWNER', 'ADMIN', 'EDITOR', 'COMMENTER', 'VIEWER']) }),
    signedIn: true,
    variables: ({ params, body }) => ({ workspaceId: params['id'], email: body['email'], role: body['role'] }),
    field: 'inviteWorkspaceMember',
    status: 201,
    responseSchema: 'Invitation',
  },
  {
    method: 'post',
    path: '/invitations/accept',
    summary: 'Join a workspace with the token from an invitation email (sent to the caller’s email)',
    operation: 'RestAcceptWorkspaceInvitation',
    body: z.object({ token: z.string().min(1).max(1024) }),
    signedIn: true,
    variables: ({ body }) => ({ token: body['token'] }),
    field: 'acceptWorkspaceInvitation',
    status: 200,
    responseSchema: 'Workspace',
  },
];
