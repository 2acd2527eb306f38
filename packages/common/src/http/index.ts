/** The HTTP chassis every process shares: request ids, /live /health /ready /metrics, graceful shutdown. */
export * from './service.js';
export * from './request-context.js';
