import { ConfigError } from '@pyairtable/common';
import { loadWorkspacesConfig } from './config.js';
import { createWorkspacesSubgraph } from './server.js';

try {
  const config = loadWorkspacesConfig();
  const { service, logger } = await createWorkspacesSubgraph(config);
  const { url } = await service.listen(config.PORT, config.HOST);
  service.closeOnSignals();
  logger.info({ url: `${url}/graphql` }, 'workspaces subgraph ready');
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
