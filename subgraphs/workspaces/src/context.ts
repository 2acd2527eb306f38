// What every workspaces resolver receives: the services, and the loaders of this one request.
import type { SubgraphContextBase } from '@pyairtable/common/subgraphs';
import type { InvitationService } from './domain/invitations.js';
import type { WorkspaceService } from './domain/workspaces.js';
import type { WorkspaceLoaders } from './loaders.js';

export interface WorkspacesContext extends SubgraphContextBase {
  workspaces: WorkspaceService;
  invitations: InvitationService;
  /** Per request, so every reference and per-parent field of one request is batched. */
  loaders: WorkspaceLoaders;
}
