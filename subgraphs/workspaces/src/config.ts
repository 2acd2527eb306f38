import { envPort, loadConfig } from '@pyairtable/common/config';
import { platformSettings, subgraphEntry } from '@pyairtable/common/subgraphs';
import { z } from 'zod';

const workspacesSettings = z.object({
  ...platformSettings,
  PORT: envPort.default(subgraphEntry('workspaces').port),
});

export type WorkspacesConfig = z.infer<typeof workspacesSettings>;

export function loadWorkspacesConfig(env: NodeJS.ProcessEnv = process.env): Readonly<WorkspacesConfig> {
  return loadConfig('workspaces subgraph', workspacesSettings, env);
}
