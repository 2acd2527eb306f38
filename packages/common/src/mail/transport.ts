/** How a message leaves: over SMTP (nodemailer), or caught in the development mailbox. */
import { createTransport } from 'nodemailer';
import type { Logger } from '../observability/logger.js';
import type { DevMailbox } from './dev-mailbox.js';
import { senderAddress } from './settings.js';

/** One message as the relay hands it over. `id` is the outgoing-mail row's id. */
export interface OutgoingMessage {
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface MailTransport {
  /** Resolves once the server accepted the message, with its reply; rejects (a MailDeliveryError) otherwise. */
  send(message: OutgoingMessage): Promise<{ response?: string | undefined }>;
  close(): void;
}

/** A message the server did not take. `permanent`: it refused it for good (5xx), so retrying is pointless. */
export class MailDeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly smtpResponse?: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'MailDeliveryError';
  }
}

/** The fields nodemailer sets on its errors (NodemailerError), read structurally. */
interface SmtpFailure {
  message?: unknown;
  response?: unknown;
  permanent?: unknown;
}

function deliveryError(error: unknown): MailDeliveryError {
  const failure: SmtpFailure = typeof error === 'object' && error !== null ? error : {};
  const message = typeof failure.message === 'string' ? failure.message : String(error);
  const response = typeof failure.response === 'string' ? failure.response : undefined;
  return new MailDeliveryError(message, failure.permanent === true, response, { cause: error });
}

/**
 * Bounds one send, from DNS to the server's reply. The queue's lease on a message being sent (see MailRelay)
 * is longer, so another relay never takes over a message that is still being handed over.
 */
export const SMTP_SEND_TIMEOUT_MS = 60_000;

/**
 * Sends over SMTP with nodemailer: smtp://user:password@host:587 or smtps://…:465. Each message carries
 * Message-ID `<row id@sender domain>`, the same on every attempt, so a receiver can tell a resend.
 */
export function smtpTransport(smtpUrl: string, from: string): MailTransport {
  const senderDomain = senderAddress(from)?.split('@')[1] ?? 'localhost';
  const transporter = createTransport(
    { url: smtpUrl, dnsTimeout: 10_000, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 },
    { from },
  );
  return {
    async send(message) {
      try {
        const sent = await transporter.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          html: message.html,
          messageId: `<${message.id}@${senderDomain}>`,
          signal: AbortSignal.timeout(SMTP_SEND_TIMEOUT_MS),
        });
        return { response: sent.response };
      } catch (error) {
        throw deliveryError(error);
      }
    },
    close: () => transporter.close(),
  };
}

export interface CatchingTransportOptions {
  /** The sender the caught message shows (MAIL_FROM). */
  from: string;
  /**
   * Whether the log line names the message's links. Links carry live tokens: only in development (the
   * subgraph passes NODE_ENV === 'development').
   */
  logLinks: boolean;
}

/**
 * Development without SMTP_URL: keeps each message in the mailbox (the router lists it at /dev/mailbox) and
 * logs one line naming recipient, subject and, when told to, its link. Nothing leaves the process.
 */
export function catchingTransport(mailbox: DevMailbox, logger: Logger, { from, logLinks }: CatchingTransportOptions): MailTransport {
  return {
    send(message) {
      const caught = mailbox.add({ to: message.to, from, subject: message.subject, text: message.text, html: message.html });
      logger.info(
        { mailId: message.id, to: caught.to, subject: caught.subject, ...(logLinks ? { link: caught.links[0] } : {}) },
        'mail caught (no SMTP_URL): see /dev/mailbox on the router',
      );
      return Promise.resolve({ response: `caught as ${caught.id}` });
    },
    close: () => undefined,
  };
}
