// What a change writes besides itself, in its own transaction: domain events to the outbox, mail to the outgoing queue.
import type { DomainEventBody, SqlOutbox } from '@pyairtable/common/events';
import type { MailKind, MailTemplateParams, Mailer } from '@pyairtable/common/mail';
import type { Prisma } from '../generated/prisma/client.js';

/** One message to send: to whom, which template and its parameters. */
export type MailMessage = { [Kind in MailKind]: { to: string; kind: Kind; params: MailTemplateParams[Kind] } }[MailKind];

/** Decided by the domain, written by the stores in the transaction of the change, so they exist exactly when it does. */
export interface SideEffects {
  events?: readonly DomainEventBody[];
  mail?: readonly MailMessage[];
}

/** Writes a change's side effects inside its transaction: events to auth's outbox, mail to its outgoing queue. */
export class SideEffectWriter {
  constructor(
    private readonly outbox: Pick<SqlOutbox, 'append'>,
    private readonly mailer: Pick<Mailer, 'enqueue'>,
  ) {}

  async write(transaction: Prisma.TransactionClient, effects: SideEffects): Promise<void> {
    for (const event of effects.events ?? []) await this.outbox.append(transaction, event);
    for (const message of effects.mail ?? []) await this.mailer.enqueue(transaction, message.to, message.kind, message.params);
  }
}
