/** The one registry of error codes clients may see. */
export * from './registry.js';
