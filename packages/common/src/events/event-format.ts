import { z } from 'zod';
import type { DomainEvent } from './domain-events.js';

/** The stream every user event goes to, under the deployment's Redis key prefix. */
export function userEventStreamKey(keyPrefix: string): string {
  return `${keyPrefix}events:users`;
}

export class MalformedEventError extends Error {
  override readonly name = 'MalformedEventError';
}

const userId = z.guid();
const timestamp = z.iso.datetime({ offset: true });

const email = z.string().min(1);

const domainEventSchema = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('user.registered'),
    data: z.object({ userId, email, displayName: z.string().nullable(), registeredAt: timestamp }),
  }),
  z.object({ type: z.literal('user.deleted'), data: z.object({ userId }) }),
  z.object({ type: z.literal('user.email_verified'), data: z.object({ userId, email }) }),
  z.object({ type: z.literal('user.email_changed'), data: z.object({ userId, email, previousEmail: email }) }),
  z.object({
    type: z.literal('invitation.accepted'),
    data: z.object({ invitationId: z.guid(), workspaceId: z.guid(), userId, email, byToken: z.boolean() }),
  }),
]);

const envelopeSchema = z.object({ id: z.string().min(1), occurredAt: timestamp });

/** Checks an event that arrived from outside the type system (a stream entry, an outbox row). */
export function parseDomainEvent(candidate: unknown): DomainEvent {
  const envelope = envelopeSchema.safeParse(candidate);
  const body = domainEventSchema.safeParse(candidate);
  if (!envelope.success || !body.success) {
    const issues = [...(envelope.error?.issues ?? []), ...(body.error?.issues ?? [])];
    throw new MalformedEventError(issues.map((issue) => `${issue.path.join('.') || '(event)'}: ${issue.message}`).join('; '));
  }
  return { ...body.data, id: envelope.data.id, occurredAt: envelope.data.occurredAt };
}

/** A stream entry's fields: id, type, payload (the event's data as JSON) and occurredAt. */
export function toStreamFields(event: DomainEvent): string[] {
  return ['id', event.id, 'type', event.type, 'payload', JSON.stringify(event.data), 'occurredAt', event.occurredAt];
}

export function fromStreamFields(fields: readonly string[]): DomainEvent {
  const values = new Map<string, string>();
  for (let index = 0; index + 1 < fields.length; index += 2) values.set(fields[index] ?? '', fields[index + 1] ?? '');
  const payload = values.get('payload');
  let data: unknown;
  try {
    data = payload === undefined ? undefined : JSON.parse(payload);
  } catch {
    throw new MalformedEventError('payload: not JSON');
  }
  return parseDomainEvent({ id: values.get('id'), type: values.get('type'), occurredAt: values.get('occurredAt'), data });
}
