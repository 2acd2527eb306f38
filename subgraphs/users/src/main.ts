import { runServiceMain } from '@pyairtable/common/http';
import { loadUsersConfig } from './config.js';
import { createUsersSubgraph } from './server.js';

await runServiceMain('users subgraph', loadUsersConfig, createUsersSubgraph);
