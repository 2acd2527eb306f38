import { ConfigError } from '@pyairtable/common';
import { loadRouterConfig } from './config.js';
import { createRouter } from './server.js';

try {
  const config = loadRouterConfig();
  const { service, logger } = await createRouter(config);
  const { url } = await service.listen(config.PORT, config.HOST);
  service.closeOnSignals();
  logger.info({ url: `${url}/graphql` }, 'router ready');
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
