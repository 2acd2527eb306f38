import { Redis } from 'ioredis';
import pg from 'pg';

/** Drops the run's database and deletes the run's Redis keys. */
export default async function globalTeardown(): Promise<void> {
  const adminUrl = process.env['PYAIRTABLE_TEST_ADMIN_DATABASE_URL'];
  const databaseName = process.env['PYAIRTABLE_TEST_DATABASE_NAME'];
  if (adminUrl && databaseName) {
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }
  const redisUrl = process.env['PYAIRTABLE_TEST_REDIS_URL'];
  const prefix = process.env['PYAIRTABLE_TEST_REDIS_PREFIX'];
  if (redisUrl && prefix) {
    const redis = new Redis(redisUrl);
    const keys: string[] = [];
    for await (const batch of redis.scanStream({ match: `${prefix}*`, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await redis.del(...keys);
    await redis.quit();
  }
}
