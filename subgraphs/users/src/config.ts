import { envPort, loadConfig, subgraphServiceSettings } from '@pyairtable/common';
import { z } from 'zod';

const usersSettings = z.object({
  ...subgraphServiceSettings,
  PORT: envPort.default(8005),
  /** This replica's name in the users consumer group; defaults to host name and process id. */
  EVENT_CONSUMER_NAME: z.string().trim().min(1).optional(),
});

export type UsersConfig = z.infer<typeof usersSettings>;

export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): Readonly<UsersConfig> {
  return loadConfig('users subgraph', usersSettings, env);
}
