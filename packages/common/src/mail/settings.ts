/** The settings of outgoing mail, shared by every subgraph that sends it (spread into its zod settings). */
import addressparser from 'nodemailer/lib/addressparser';
import { z } from 'zod';

/** The address part of a From header such as `"PyAirtable" <no-reply@pyairtable.localhost>`. */
export function senderAddress(from: string): string | undefined {
  const [first] = addressparser(from, { flatten: true });
  return first?.address.includes('@') ? first.address : undefined;
}

/**
 * Without SMTP_URL, mail is caught instead of sent (kept in the development mailbox and logged): that is for
 * development only. Production requires SMTP_URL; a subgraph's settings enforce it with
 * `requireSmtpOutsideDevelopment`.
 */
export const mailSettings = {
  /** smtp://user:password@host:587 (STARTTLS when the server offers it) or smtps://…:465 (TLS from the start). */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: 'must be an smtp:// or smtps:// URL' }).optional(),
  MAIL_FROM: z
    .string()
    .trim()
    .default('"PyAirtable" <no-reply@pyairtable.localhost>')
    .refine((from) => senderAddress(from) !== undefined, 'must be an address, e.g. "PyAirtable" <no-reply@example.com>'),
  /** The frontend: links in mail point at it (`/verify-email?token=…`, …). It may carry a path. */
  PUBLIC_APP_URL: z.url({ protocol: /^https?$/, error: 'must be an http:// or https:// URL' }).default('http://localhost:8000'),
  PRODUCT_NAME: z.string().trim().min(1).default('PyAirtable'),
  /** Attempts per message before it is marked failed. */
  MAIL_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(8),
  /** The wait after a first failed attempt, doubled after each further one up to MAIL_RETRY_MAX_MS. */
  MAIL_RETRY_INITIAL_MS: z.coerce.number().int().positive().default(1_000),
  MAIL_RETRY_MAX_MS: z.coerce.number().int().positive().default(300_000),
  /** How often the relay looks for due messages nobody flushed (retries, or written just before a crash). */
  MAIL_POLL_INTERVAL_MS: z.coerce.number().int().positive().default(1_000),
};

export type MailSettings = z.infer<z.ZodObject<typeof mailSettings>>;

/**
 * Refuses settings without SMTP_URL outside development, naming SMTP_URL. For a subgraph's settings object:
 * `requireSmtpOutsideDevelopment(z.object({ ...subgraphServiceSettings, ...mailSettings, … }))`.
 */
export function requireSmtpOutsideDevelopment<Schema extends z.ZodType<{ NODE_ENV: string; SMTP_URL?: string | undefined }>>(schema: Schema): Schema {
  return schema.refine((settings) => settings.SMTP_URL !== undefined || settings.NODE_ENV === 'development', {
    path: ['SMTP_URL'],
    error: 'is required outside development (without it, mail would only be caught, never sent)',
    // Checked even when other settings are invalid, so every problem is named at once.
    when: ({ value }) => typeof value === 'object' && value !== null,
  });
}
