import { runServiceMain } from '@pyairtable/common/http';
import { loadWorkspacesConfig } from './config.js';
import { createWorkspacesSubgraph } from './server.js';

await runServiceMain('workspaces subgraph', loadWorkspacesConfig, createWorkspacesSubgraph);
