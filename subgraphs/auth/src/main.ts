import { runServiceMain } from '@pyairtable/common';
import { loadAuthConfig } from './config.js';
import { createAuthSubgraph } from './server.js';

await runServiceMain('auth subgraph', loadAuthConfig, createAuthSubgraph);
