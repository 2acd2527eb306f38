/** Background work: the drain loop behind every relay, shared runs, interruptible waits, exponential backoff. */
export * from './retry.js';
export * from './drain-loop.js';
