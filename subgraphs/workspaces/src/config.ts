// The workspaces subgraph's settings, read from the environment and validated once.
import { envPort, loadConfig } from '@pyairtable/common/config';
import { rateLimitSetting } from '@pyairtable/common/graphql';
import { mailSettings, requireSmtpOutsideDevelopment } from '@pyairtable/common/mail';
import { platformSettings, subgraphEntry } from '@pyairtable/common/subgraphs';
import { z } from 'zod';

const workspacesSettings = requireSmtpOutsideDevelopment(
  z.object({
    ...platformSettings,
    ...mailSettings,
    PORT: envPort.default(subgraphEntry('workspaces').port),
    /** The SDL's `@rateLimit(policy: "X")` budgets, "<max>/<window>": invitations mail any address, so each sender is bounded. */
    THROTTLE_INVITE_PER_USER: rateLimitSetting('200/1h'),
    THROTTLE_RESEND_INVITATION_PER_USER: rateLimitSetting('20/1h'),
    /** How long an invitation's link works, from when it was sent (or last resent). */
    INVITATION_TTL_SECONDS: z.coerce
      .number()
      .int()
      .min(60)
      .default(7 * 86_400),
  }),
);

export type WorkspacesConfig = z.infer<typeof workspacesSettings>;

export function loadWorkspacesConfig(env: NodeJS.ProcessEnv = process.env): Readonly<WorkspacesConfig> {
  return loadConfig('workspaces subgraph', workspacesSettings, env);
}
