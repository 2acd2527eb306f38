/** Storage adapters: Postgres (Prisma driver adapters), Redis, and the mapping of database errors to error codes. */
export * from './database.js';
export * from './database-errors.js';
export * from './redis.js';
