import { runServiceMain } from '@pyairtable/common';
import { loadRouterConfig } from './config.js';
import { createRouter } from './server.js';

await runServiceMain('router', loadRouterConfig, createRouter);
