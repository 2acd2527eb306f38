import { envPort, eventConsumingSubgraphSettings, loadConfig } from '@pyairtable/common';
import { z } from 'zod';

const usersSettings = z.object({
  ...eventConsumingSubgraphSettings,
  PORT: envPort.default(8005),
});

export type UsersConfig = z.infer<typeof usersSettings>;

export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): Readonly<UsersConfig> {
  return loadConfig('users subgraph', usersSettings, env);
}
