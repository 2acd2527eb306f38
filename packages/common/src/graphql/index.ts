/** GraphQL building blocks: error formatting, scalars, pagination, ids, plain-text inputs and the @rateLimit directive. */
export * from './error-formatting.js';
export * from './scalars.js';
export * from './pagination.js';
export * from './ids.js';
export * from './rate-limit.js';
export * from './text-input.js';
export * from './failure-throttle.js';
