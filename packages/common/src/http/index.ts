/** The HTTP chassis every process shares: request ids, the access log, /live /health /ready /metrics, graceful shutdown. */
export * from './service.js';
export * from './request-context.js';
export * from './access-log.js';
