// Generated from subgraphs/workspaces/schema.graphql by codegen.ts: do not edit, run `npm run codegen`.
import type { GraphQLResolveInfo, GraphQLScalarType, GraphQLScalarTypeConfig } from 'graphql';
import type { Workspace as WorkspaceModel, Membership as MembershipModel } from '../generated/prisma/client.js';
import type { InvitationRecord as InvitationRecordModel } from '../data/invitation-store.js';
import type { WorkspacePage as WorkspacePageModel, MemberPage as MemberPageModel, InvitationPage as InvitationPageModel } from '../loaders.js';
import type { WorkspacesContext } from '../context.js';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  /** An ISO-8601 date-time string in UTC, e.g. 2026-11-25T21:14:33.000Z. */
  DateTime: { input: Date; output: Date | string; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type CreateWorkspaceInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name: Scalars['String']['input'];
};

export type InvitationStatus =
  | 'ACCEPTED'
  | 'DECLINED'
  | 'EXPIRED'
  | 'PENDING'
  | 'REVOKED';

export type Mutation = {
  __typename?: 'Mutation';
  /** Join a workspace by invitation: give the token from the email, or the id of one of myInvitations. The caller's email must be the invited one (FORBIDDEN otherwise); a token also verifies that email. */
  acceptWorkspaceInvitation: Workspace;
  /**
   * Add the user with this email (an existing account) to a workspace. OWNER or ADMIN; only an OWNER may grant ADMIN. NOT_FOUND when no account has that email; CONFLICT when already a member.
   * @deprecated Use inviteWorkspaceMember: it works for people without an account and reveals nothing about which emails are registered.
   */
  addWorkspaceMember: WorkspaceMember;
  /** Create a workspace; the caller becomes its OWNER. */
  createWorkspace: Workspace;
  /** Turn an invitation down, by token or by the id of one of myInvitations. */
  declineWorkspaceInvitation: Scalars['Boolean']['output'];
  /** Delete a workspace and its memberships. OWNER only. */
  deleteWorkspace: Scalars['Boolean']['output'];
  /** Invite anyone by email, with or without an account, to a workspace. OWNER or ADMIN; only an OWNER may invite as ADMIN; OWNER cannot be invited. CONFLICT when already a member or already invited. */
  inviteWorkspaceMember: WorkspaceInvitation;
  /** Remove a member (or leave, with your own id). The OWNER cannot be removed and cannot leave. */
  removeWorkspaceMember: Scalars['Boolean']['output'];
  /** Send a pending invitation's email again, with a fresh link and expiry. OWNER or ADMIN. */
  resendWorkspaceInvitation: WorkspaceInvitation;
  /** Withdraw a pending invitation; its link stops working. OWNER or ADMIN. */
  revokeWorkspaceInvitation: Scalars['Boolean']['output'];
  /** Hand the OWNER role to another member; the previous owner becomes ADMIN. OWNER only. */
  transferWorkspaceOwnership: Workspace;
  /** Rename or describe a workspace. OWNER or ADMIN. */
  updateWorkspace: Workspace;
  /** Change a member's role. Same rules as adding; OWNER cannot be granted or taken here. */
  updateWorkspaceMemberRole: WorkspaceMember;
};


export type MutationAcceptWorkspaceInvitationArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  token?: InputMaybe<Scalars['String']['input']>;
};


export type MutationAddWorkspaceMemberArgs = {
  email: Scalars['String']['input'];
  role: WorkspaceRole;
  workspaceId: Scalars['ID']['input'];
};


export type MutationCreateWorkspaceArgs = {
  input: CreateWorkspaceInput;
};


export type MutationDeclineWorkspaceInvitationArgs = {
  id?: InputMaybe<Scalars['ID']['input']>;
  token?: InputMaybe<Scalars['String']['input']>;
};


export type MutationDeleteWorkspaceArgs = {
  id: Scalars['ID']['input'];
};


export type MutationInviteWorkspaceMemberArgs = {
  email: Scalars['String']['input'];
  role: WorkspaceRole;
  workspaceId: Scalars['ID']['input'];
};


export type MutationRemoveWorkspaceMemberArgs = {
  userId: Scalars['ID']['input'];
  workspaceId: Scalars['ID']['input'];
};


export type MutationResendWorkspaceInvitationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationRevokeWorkspaceInvitationArgs = {
  id: Scalars['ID']['input'];
};


export type MutationTransferWorkspaceOwnershipArgs = {
  userId: Scalars['ID']['input'];
  workspaceId: Scalars['ID']['input'];
};


export type MutationUpdateWorkspaceArgs = {
  id: Scalars['ID']['input'];
  input: UpdateWorkspaceInput;
};


export type MutationUpdateWorkspaceMemberRoleArgs = {
  role: WorkspaceRole;
  userId: Scalars['ID']['input'];
  workspaceId: Scalars['ID']['input'];
};

export type PageInfo = {
  __typename?: 'PageInfo';
  endCursor?: Maybe<Scalars['String']['output']>;
  hasNextPage: Scalars['Boolean']['output'];
};

export type Query = {
  __typename?: 'Query';
  /** Pending invitations addressed to the caller's email, newest first. Empty while the caller's email is not verified. */
  myInvitations: Array<WorkspaceInvitation>;
  /** A workspace the caller is a member of; null when it does not exist or the caller is not a member. */
  workspace?: Maybe<Workspace>;
  /** Workspaces the caller is a member of, newest first. */
  workspaces: WorkspaceConnection;
};


export type QueryWorkspaceArgs = {
  id: Scalars['ID']['input'];
};


export type QueryWorkspacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type UpdateWorkspaceInput = {
  description?: InputMaybe<Scalars['String']['input']>;
  name?: InputMaybe<Scalars['String']['input']>;
};

export type User = {
  __typename?: 'User';
  id: Scalars['ID']['output'];
  /** Workspaces this user belongs to that the caller may also see. */
  workspaces: WorkspaceConnection;
};


export type UserWorkspacesArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type Workspace = {
  __typename?: 'Workspace';
  createdAt: Scalars['DateTime']['output'];
  description?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Pending invitations, newest first. OWNER and ADMIN see them; other members get an empty connection. */
  invitations: WorkspaceInvitationConnection;
  memberCount: Scalars['Int']['output'];
  members: WorkspaceMemberConnection;
  /** The caller's role in this workspace. */
  myRole: WorkspaceRole;
  name: Scalars['String']['output'];
  owner: User;
  updatedAt: Scalars['DateTime']['output'];
};


export type WorkspaceInvitationsArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};


export type WorkspaceMembersArgs = {
  after?: InputMaybe<Scalars['String']['input']>;
  first?: InputMaybe<Scalars['Int']['input']>;
};

export type WorkspaceConnection = {
  __typename?: 'WorkspaceConnection';
  nodes: Array<Workspace>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type WorkspaceInvitation = {
  __typename?: 'WorkspaceInvitation';
  createdAt: Scalars['DateTime']['output'];
  email: Scalars['String']['output'];
  expiresAt: Scalars['DateTime']['output'];
  id: Scalars['ID']['output'];
  /** The display name of whoever sent it, shown to the invitee. */
  invitedByName: Scalars['String']['output'];
  role: WorkspaceRole;
  status: InvitationStatus;
  /** Shown to the invitee, who is not a member yet. */
  workspaceName: Scalars['String']['output'];
};

export type WorkspaceInvitationConnection = {
  __typename?: 'WorkspaceInvitationConnection';
  nodes: Array<WorkspaceInvitation>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type WorkspaceMember = {
  __typename?: 'WorkspaceMember';
  joinedAt: Scalars['DateTime']['output'];
  role: WorkspaceRole;
  user: User;
};

export type WorkspaceMemberConnection = {
  __typename?: 'WorkspaceMemberConnection';
  nodes: Array<WorkspaceMember>;
  pageInfo: PageInfo;
  totalCount: Scalars['Int']['output'];
};

export type WorkspaceRole =
  | 'ADMIN'
  | 'COMMENTER'
  | 'EDITOR'
  | 'OWNER'
  | 'VIEWER';



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  User: User;
  Workspace: Workspace;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
  Workspace:
    ( { __typename: 'Workspace' }
    & GraphQLRecursivePick<FederationTypes['Workspace'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CreateWorkspaceInput: CreateWorkspaceInput;
  DateTime: ResolverTypeWrapper<Scalars['DateTime']['output']>;
  InvitationStatus: InvitationStatus;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
  PageInfo: ResolverTypeWrapper<PageInfo>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  UpdateWorkspaceInput: UpdateWorkspaceInput;
  User: ResolverTypeWrapper<{ id: string }>;
  Workspace: ResolverTypeWrapper<WorkspaceModel>;
  WorkspaceConnection: ResolverTypeWrapper<WorkspacePageModel>;
  WorkspaceInvitation: ResolverTypeWrapper<InvitationRecordModel>;
  WorkspaceInvitationConnection: ResolverTypeWrapper<InvitationPageModel>;
  WorkspaceMember: ResolverTypeWrapper<MembershipModel>;
  WorkspaceMemberConnection: ResolverTypeWrapper<MemberPageModel>;
  WorkspaceRole: WorkspaceRole;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  CreateWorkspaceInput: CreateWorkspaceInput;
  DateTime: Scalars['DateTime']['output'];
  Mutation: Record<PropertyKey, never>;
  ID: Scalars['ID']['output'];
  Boolean: Scalars['Boolean']['output'];
  PageInfo: PageInfo;
  Query: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  UpdateWorkspaceInput: UpdateWorkspaceInput;
  User: { id: string };
  Workspace: WorkspaceModel;
  WorkspaceConnection: WorkspacePageModel;
  WorkspaceInvitation: InvitationRecordModel;
  WorkspaceInvitationConnection: InvitationPageModel;
  WorkspaceMember: MembershipModel;
  WorkspaceMemberConnection: MemberPageModel;
  String: Scalars['String']['output'];
};

export type RateLimitDirectiveArgs = {
  by?: Scalars['String']['input'];
  policy: Scalars['String']['input'];
};

export type RateLimitDirectiveResolver<Result, Parent, ContextType = WorkspacesContext, Args = RateLimitDirectiveArgs> = DirectiveResolverFn<Result, Parent, ContextType, Args>;

export interface DateTimeScalarConfig extends GraphQLScalarTypeConfig<ResolversTypes['DateTime'], any> {
  name: 'DateTime';
}

export type MutationResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  acceptWorkspaceInvitation?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType, Partial<MutationAcceptWorkspaceInvitationArgs>>;
  addWorkspaceMember?: Resolver<ResolversTypes['WorkspaceMember'], ParentType, ContextType, RequireFields<MutationAddWorkspaceMemberArgs, 'email' | 'role' | 'workspaceId'>>;
  createWorkspace?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType, RequireFields<MutationCreateWorkspaceArgs, 'input'>>;
  declineWorkspaceInvitation?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, Partial<MutationDeclineWorkspaceInvitationArgs>>;
  deleteWorkspace?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationDeleteWorkspaceArgs, 'id'>>;
  inviteWorkspaceMember?: Resolver<ResolversTypes['WorkspaceInvitation'], ParentType, ContextType, RequireFields<MutationInviteWorkspaceMemberArgs, 'email' | 'role' | 'workspaceId'>>;
  removeWorkspaceMember?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRemoveWorkspaceMemberArgs, 'userId' | 'workspaceId'>>;
  resendWorkspaceInvitation?: Resolver<ResolversTypes['WorkspaceInvitation'], ParentType, ContextType, RequireFields<MutationResendWorkspaceInvitationArgs, 'id'>>;
  revokeWorkspaceInvitation?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType, RequireFields<MutationRevokeWorkspaceInvitationArgs, 'id'>>;
  transferWorkspaceOwnership?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType, RequireFields<MutationTransferWorkspaceOwnershipArgs, 'userId' | 'workspaceId'>>;
  updateWorkspace?: Resolver<ResolversTypes['Workspace'], ParentType, ContextType, RequireFields<MutationUpdateWorkspaceArgs, 'id' | 'input'>>;
  updateWorkspaceMemberRole?: Resolver<ResolversTypes['WorkspaceMember'], ParentType, ContextType, RequireFields<MutationUpdateWorkspaceMemberRoleArgs, 'role' | 'userId' | 'workspaceId'>>;
};

export type PageInfoResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['PageInfo'] = ResolversParentTypes['PageInfo']> = {
  endCursor?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  hasNextPage?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  myInvitations?: Resolver<Array<ResolversTypes['WorkspaceInvitation']>, ParentType, ContextType>;
  workspace?: Resolver<Maybe<ResolversTypes['Workspace']>, ParentType, ContextType, RequireFields<QueryWorkspaceArgs, 'id'>>;
  workspaces?: Resolver<ResolversTypes['WorkspaceConnection'], ParentType, ContextType, RequireFields<QueryWorkspacesArgs, 'first'>>;
};

export type UserResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  workspaces?: Resolver<ResolversTypes['WorkspaceConnection'], ParentType, ContextType, RequireFields<UserWorkspacesArgs, 'first'>>;
};

export type WorkspaceResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['Workspace'] = ResolversParentTypes['Workspace'], FederationReferenceType extends FederationReferenceTypes['Workspace'] = FederationReferenceTypes['Workspace']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Workspace']> | FederationReferenceType, FederationReferenceType, ContextType>;
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invitations?: Resolver<ResolversTypes['WorkspaceInvitationConnection'], ParentType, ContextType, RequireFields<WorkspaceInvitationsArgs, 'first'>>;
  memberCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
  members?: Resolver<ResolversTypes['WorkspaceMemberConnection'], ParentType, ContextType, RequireFields<WorkspaceMembersArgs, 'first'>>;
  myRole?: Resolver<ResolversTypes['WorkspaceRole'], ParentType, ContextType>;
  name?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  owner?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
  updatedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
};

export type WorkspaceConnectionResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['WorkspaceConnection'] = ResolversParentTypes['WorkspaceConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['Workspace']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type WorkspaceInvitationResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['WorkspaceInvitation'] = ResolversParentTypes['WorkspaceInvitation']> = {
  createdAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  email?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  expiresAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  invitedByName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['WorkspaceRole'], ParentType, ContextType>;
  status?: Resolver<ResolversTypes['InvitationStatus'], ParentType, ContextType>;
  workspaceName?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type WorkspaceInvitationConnectionResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['WorkspaceInvitationConnection'] = ResolversParentTypes['WorkspaceInvitationConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['WorkspaceInvitation']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type WorkspaceMemberResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['WorkspaceMember'] = ResolversParentTypes['WorkspaceMember']> = {
  joinedAt?: Resolver<ResolversTypes['DateTime'], ParentType, ContextType>;
  role?: Resolver<ResolversTypes['WorkspaceRole'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type WorkspaceMemberConnectionResolvers<ContextType = WorkspacesContext, ParentType extends ResolversParentTypes['WorkspaceMemberConnection'] = ResolversParentTypes['WorkspaceMemberConnection']> = {
  nodes?: Resolver<Array<ResolversTypes['WorkspaceMember']>, ParentType, ContextType>;
  pageInfo?: Resolver<ResolversTypes['PageInfo'], ParentType, ContextType>;
  totalCount?: Resolver<ResolversTypes['Int'], ParentType, ContextType>;
};

export type Resolvers<ContextType = WorkspacesContext> = {
  DateTime?: GraphQLScalarType;
  Mutation?: MutationResolvers<ContextType>;
  PageInfo?: PageInfoResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  Workspace?: WorkspaceResolvers<ContextType>;
  WorkspaceConnection?: WorkspaceConnectionResolvers<ContextType>;
  WorkspaceInvitation?: WorkspaceInvitationResolvers<ContextType>;
  WorkspaceInvitationConnection?: WorkspaceInvitationConnectionResolvers<ContextType>;
  WorkspaceMember?: WorkspaceMemberResolvers<ContextType>;
  WorkspaceMemberConnection?: WorkspaceMemberConnectionResolvers<ContextType>;
};

export type DirectiveResolvers<ContextType = WorkspacesContext> = {
  rateLimit?: RateLimitDirectiveResolver<any, any, ContextType>;
};
