/**
 * A real SMTP server for tests (smtp-server on a free port): keeps every message it accepts, decoded with
 * mailparser; it can go down and come back on the same port, or refuse messages for a while.
 */
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { eventually } from './eventually.js';

export interface ReceivedMail {
  messageId: string | undefined;
  /** The From header, as text (e.g. `"PyAirtable" <no-reply@pyairtable.localhost>`). */
  from: string;
  /** The envelope's recipients. */
  to: string[];
  subject: string;
  /** The plain-text part, decoded. */
  text: string;
  /** The HTML part, decoded ('' when there is none). */
  html: string;
  receivedAt: Date;
}

export interface SmtpSink {
  /** smtp://127.0.0.1:<port>, for SMTP_URL. */
  readonly url: string;
  readonly port: number;
  /** Every accepted message, in arrival order. */
  readonly received: ReceivedMail[];
  /** Resolves with the first accepted message that matches, waiting for it up to timeoutMs; rejects after. */
  waitForMail(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  /** Answers every RCPT TO with this SMTP error (e.g. 451 try later, 550 no such mailbox) until accept(). */
  refuse(responseCode: number, message?: string): void;
  accept(): void;
  /** Holds each accepted message this long before answering, so a sender's batch takes at least that (0: no wait). */
  answerAfter(ms: number): void;
  /** Closes the port (connections are refused) until comeBack(). */
  goDown(): Promise<void>;
  /** Listens again on the same port. */
  comeBack(): Promise<void>;
  stop(): Promise<void>;
}

/** The `token` query parameter of the first link in the mail (text part, then HTML part) whose path ends with `path`. */
export function linkFrom(mail: Pick<ReceivedMail, 'text' | 'html'>, path: string): string | undefined {
  const links = `${mail.text}\n${mail.html}`.match(/https?:\/\/[^\s<>"')\]]+/g) ?? [];
  for (const link of links) {
    // The HTML part's links are attribute values: &amp; stands for &.
    const url = new URL(link.replaceAll('&amp;', '&').replace(/[.,;:!?]+$/, ''));
    if (url.pathname.endsWith(path)) return url.searchParams.get('token') ?? undefined;
  }
  return undefined;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let refusal: { responseCode: number; message: string } | undefined;
  let answerDelayMs = 0;

  const createServer = () =>
    new SMTPServer({
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      // Offline, a reverse lookup of 127.0.0.1 only adds delay.
      disableReverseLookup: true,
      closeTimeout: 1_000,
      onRcptTo(_address, _session, callback) {
        if (refusal) callback(Object.assign(new Error(refusal.message), { responseCode: refusal.responseCode }));
        else callback();
      },
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            received.push({
              messageId: parsed.messageId,
              from: parsed.from?.text ?? '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              subject: parsed.subject ?? '',
              text: parsed.text ?? '',
              html: typeof parsed.html === 'string' ? parsed.html : '',
              receivedAt: new Date(),
            });
            if (answerDelayMs > 0) setTimeout(callback, answerDelayMs);
            else callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
        );
      },
    });

  const listen = async (server: SMTPServer, port: number): Promise<number> => {
    server.listen(port, '127.0.0.1');
    await once(server.server, 'listening');
    return (server.server.address() as AddressInfo).port;
  };
  const close = (server: SMTPServer) => new Promise<void>((resolve) => server.close(() => resolve()));

  let server: SMTPServer | undefined = createServer();
  const port = await listen(server, 0);

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    received,
    async waitForMail(predicate, timeoutMs = 5_000) {
      const match = await eventually(
        () => Promise.resolve(received.find(predicate)),
        (mail) => mail !== undefined,
        timeoutMs,
        20,
      );
      if (!match) throw new Error(`no matching mail within ${timeoutMs} ms; received: ${received.map((mail) => mail.subject).join(' | ')}`);
      return match;
    },
    refuse(responseCode, message = 'Try again later') {
      refusal = { responseCode, message };
    },
    accept() {
      refusal = undefined;
    },
    answerAfter(ms) {
      answerDelayMs = ms;
    },
    async goDown() {
      if (!server) return;
      const closing = server;
      server = undefined;
      await close(closing);
    },
    async comeBack() {
      if (server) return;
      server = createServer();
      await listen(server, port);
    },
    async stop() {
      if (server) await close(server);
      server = undefined;
    },
  };
}
