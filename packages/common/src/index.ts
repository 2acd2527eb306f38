// Transitional: every room at once. Import from a room (`@pyairtable/common/events`, ...) instead.
export * from './config/index.js';
export * from './errors/index.js';
export * from './http/index.js';
export * from './graphql/index.js';
export * from './identity/index.js';
export * from './data/index.js';
export * from './observability/index.js';
export * from './events/index.js';
export * from './subgraphs/index.js';
export * from './mail/index.js';
export * from './background/index.js';
