/** What the global setup prepared for this run (see global-setup.ts). */
function required(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is unset: the jest global setup did not run`);
  return value;
}

export const runDatabaseUrl = (): string => required('PYAIRTABLE_TEST_DATABASE_URL');
export const runAdminDatabaseUrl = (): string => required('PYAIRTABLE_TEST_ADMIN_DATABASE_URL');
export const runRedisUrl = (): string => required('PYAIRTABLE_TEST_REDIS_URL');
export const runRedisPrefix = (): string => required('PYAIRTABLE_TEST_REDIS_PREFIX');
