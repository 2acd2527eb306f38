import { ConfigError } from '@pyairtable/common';
import { loadAuthConfig } from './config.js';
import { createAuthSubgraph } from './server.js';

try {
  const config = loadAuthConfig();
  const { service, logger } = await createAuthSubgraph(config);
  const { url } = await service.listen(config.PORT, config.HOST);
  service.closeOnSignals();
  logger.info({ url: `${url}/graphql` }, 'auth subgraph ready');
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
