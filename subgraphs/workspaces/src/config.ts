import { envPort, eventConsumingSubgraphSettings, loadConfig } from '@pyairtable/common';
import { z } from 'zod';

const workspacesSettings = z.object({
  ...eventConsumingSubgraphSettings,
  PORT: envPort.default(8006),
});

export type WorkspacesConfig = z.infer<typeof workspacesSettings>;

export function loadWorkspacesConfig(env: NodeJS.ProcessEnv = process.env): Readonly<WorkspacesConfig> {
  return loadConfig('workspaces subgraph', workspacesSettings, env);
}
