import { ConfigError } from '@pyairtable/common/config';
import { createLogger } from '@pyairtable/common/observability';
import { applyApolloTelemetrySetting } from '@pyairtable/router/config';
import { PortInUseError, startLocalGraph } from './graph.js';

// Before the embedded router's gateway exists: it reads its telemetry switch from the environment (see the function).
applyApolloTelemetrySetting();

const logger = createLogger('local-graph', process.env['LOG_LEVEL'] ?? 'info');
try {
  const graph = await startLocalGraph();
  logger.info(
    {
      mode: graph.mode,
      home: `${graph.routerUrl}/`,
      graphql: `${graph.routerUrl}/graphql`,
      graphiql: `${graph.routerUrl}/graphiql`,
      rest: `${graph.routerUrl}/api/v1`,
      restDocs: `${graph.routerUrl}/api/v1/docs`,
      ...(graph.mailbox ? { mailbox: `${graph.routerUrl}/dev/mailbox` } : {}),
    },
    `PyAirtable Graph is up: open ${graph.routerUrl}/ (links to everything), GraphiQL at ${graph.routerUrl}/graphiql (works offline), Apollo Sandbox at ${graph.routerUrl}/graphql (loads from Apollo's CDN)`,
  );
  const stop = (signal: NodeJS.Signals) => {
    logger.info({ signal }, 'shutting down');
    graph.close().then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof PortInUseError)) throw error;
  console.error(error.message);
  process.exit(1);
}
