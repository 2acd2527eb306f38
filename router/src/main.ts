/** The router's production entry point. */
import { setFlagsFromString } from 'node:v8';
import { runServiceMain } from '@pyairtable/common/http';
import { applyApolloTelemetrySetting, loadRouterConfig, type RouterConfig } from './config.js';
import { createRouter } from './server.js';

// Before any gateway exists: the gateway reads its telemetry switch from the environment (see the function).
applyApolloTelemetrySetting();
await runServiceMain('router', loadRouterConfig, (config: RouterConfig) => {
  // Only the router's own process: the setting is V8's, for the whole process (npm start runs every service in one).
  if (config.HEAP_GROWING_PERCENT > 0) setFlagsFromString(`--heap-growing-percent=${config.HEAP_GROWING_PERCENT}`);
  return createRouter(config);
});
