// What a change writes besides itself, in its own transaction: domain events to the outbox, mail to the outgoing queue.
import type { DomainEventBody } from '@pyairtable/common/events';
import type { MailKind, MailTemplateParams, Mailer } from '@pyairtable/common/mail';
import type { Prisma } from '../generated/prisma/client.js';
import { appendToOutbox } from './outbox.js';

/** One message to send: to whom, which template and its parameters. */
export type MailMessage = { [Kind in MailKind]: { to: string; kind: Kind; params: MailTemplateParams[Kind] } }[MailKind];

/** Decided by the domain, written by the stores in the transaction of the change, so they exist exactly when it does. */
export interface SideEffects {
  events?: readonly DomainEventBody[];
  mail?: readonly MailMessage[];
}

/** The part of the mailer the stores use: writing a message inside a transaction. */
export type MailWriter = Pick<Mailer, 'enqueue'>;

export async function writeSideEffects(transaction: Prisma.TransactionClient, mailer: MailWriter, effects: SideEffects): Promise<void> {
  for (const event of effects.events ?? []) await appendToOutbox(transaction, event);
  for (const message of effects.mail ?? []) await mailer.enqueue(transaction, message.to, message.kind, message.params);
}
