/** Settings: read and validated once per service with zod, every problem named. */
export * from './settings.js';
