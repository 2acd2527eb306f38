/** What a subgraph is made of: the registry of subgraphs, their HTTP service, and the platform they run on. */
export * from './registry.js';
export * from './service.js';
export * from './platform.js';
