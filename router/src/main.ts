import { runServiceMain } from '@pyairtable/common/http';
import { loadRouterConfig } from './config.js';
import { createRouter } from './server.js';

await runServiceMain('router', loadRouterConfig, createRouter);
