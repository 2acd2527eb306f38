/** The router's production entry point. */
import { runServiceMain } from '@pyairtable/common/http';
import { applyApolloTelemetrySetting, loadRouterConfig } from './config.js';
import { createRouter } from './server.js';

// Before any gateway exists: the gateway reads its telemetry switch from the environment (see the function).
applyApolloTelemetrySetting();
await runServiceMain('router', loadRouterConfig, createRouter);
