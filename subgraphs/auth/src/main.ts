import { runServiceMain } from '@pyairtable/common/http';
import { loadAuthConfig } from './config.js';
import { createAuthSubgraph } from './server.js';

await runServiceMain('auth subgraph', loadAuthConfig, createAuthSubgraph);
