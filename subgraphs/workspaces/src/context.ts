import type { SubgraphContextBase } from '@pyairtable/common/subgraphs';
import type { WorkspaceService } from './domain/workspaces.js';
import type { WorkspaceLoaders } from './loaders.js';

export interface WorkspacesContext extends SubgraphContextBase {
  workspaces: WorkspaceService;
  /** Per request, so every reference and per-parent field of one request is batched. */
  loaders: WorkspaceLoaders;
}
