import { envPort, loadConfig } from '@pyairtable/common/config';
import { platformSettings, subgraphEntry } from '@pyairtable/common/subgraphs';
import { z } from 'zod';

const usersSettings = z.object({
  ...platformSettings,
  PORT: envPort.default(subgraphEntry('users').port),
});

export type UsersConfig = z.infer<typeof usersSettings>;

export function loadUsersConfig(env: NodeJS.ProcessEnv = process.env): Readonly<UsersConfig> {
  return loadConfig('users subgraph', usersSettings, env);
}
