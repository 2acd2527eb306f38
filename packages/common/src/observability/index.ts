/** Logging (pino) and metrics (prom-client). */
export * from './logger.js';
export * from './metrics.js';
