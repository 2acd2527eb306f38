/** The wire format of domain events (event-format.ts): stream entries round-trip; anything malformed is named and refused. */
import { describe, expect, it } from '@jest/globals';
import {
  MalformedEventError,
  fromStreamFields,
  parseDomainEvent,
  toStreamFields,
  userEventStreamKey,
  type DomainEvent,
} from '@pyairtable/common/events';

const USER_ID = '5f0c7a3e-9b21-4c8d-a6e4-2d1f0b9c8a71';

const registered: DomainEvent = {
  id: 'evt-1',
  type: 'user.registered',
  occurredAt: '2026-02-03T04:05:06.789Z',
  data: { userId: USER_ID, email: 'ada@example.test', displayName: 'Ada "the Countess" Lovelace ✓', registeredAt: '2026-02-03T04:05:06.000Z' },
};
const registeredWithoutName: DomainEvent = {
  id: 'evt-2',
  type: 'user.registered',
  occurredAt: '2026-02-03T05:05:06+02:00',
  data: { userId: USER_ID, email: 'ada@example.test', displayName: null, registeredAt: '2026-02-03T05:05:06+02:00' },
};
const deleted: DomainEvent = { id: 'evt-3', type: 'user.deleted', occurredAt: '2026-02-04T00:00:00.000Z', data: { userId: USER_ID } };

/** The error `run` throws, which must be a MalformedEventError. */
function malformation(run: () => unknown): MalformedEventError {
  try {
    run();
  } catch (error) {
    if (error instanceof MalformedEventError) return error;
    throw error;
  }
  throw new Error('expected a MalformedEventError, but the event was accepted');
}

describe('stream entries', () => {
  it.each([registered, registeredWithoutName, deleted])('read back what was written: $type $id', (event) => {
    expect(fromStreamFields(toStreamFields(event))).toEqual(event);
    expect(parseDomainEvent(event)).toEqual(event);
  });

  it('are id, type, payload (the data as JSON) and occurredAt, read in any order', () => {
    const fields = toStreamFields(deleted);
    expect(fields).toEqual(['id', 'evt-3', 'type', 'user.deleted', 'payload', JSON.stringify({ userId: USER_ID }), 'occurredAt', deleted.occurredAt]);
    const pairs = [fields.slice(6, 8), fields.slice(2, 4), fields.slice(4, 6), fields.slice(0, 2)].flat();
    expect(fromStreamFields(pairs)).toEqual(deleted);
  });

  it('go to one stream under the deployment prefix', () => {
    expect(userEventStreamKey('pyairtable:')).toBe('pyairtable:events:users');
  });
});

describe('malformed events', () => {
  it.each<[string, string, unknown]>([
    ['no id', 'id', { ...deleted, id: undefined }],
    ['an empty id', 'id', { ...deleted, id: '' }],
    ['a type nobody knows', 'type', { ...deleted, type: 'user.renamed' }],
    ['no type', 'type', { ...deleted, type: undefined }],
    ['a user id that is not one', 'data.userId', { ...deleted, data: { userId: 'u-1' } }],
    ['no data', 'data', { ...deleted, data: undefined }],
    ['an occurredAt that is not a time', 'occurredAt', { ...deleted, occurredAt: 'yesterday' }],
    ['a time without its offset', 'occurredAt', { ...deleted, occurredAt: '2026-02-04T00:00:00' }],
    ['an empty email', 'data.email', { ...registered, data: { ...registered.data, email: '' } }],
    ['a registeredAt that is not a time', 'data.registeredAt', { ...registered, data: { ...registered.data, registeredAt: 1_700_000_000 } }],
    [
      'a display name left out (null is how none is said)',
      'data.displayName',
      { ...registered, data: { userId: USER_ID, email: 'a@b.test', registeredAt: registered.occurredAt } },
    ],
  ])('refuses %s, naming %s', (_, path, candidate) => {
    const error = malformation(() => parseDomainEvent(candidate));
    expect(error.name).toBe('MalformedEventError');
    expect(error.message).toContain(`${path}: `);
  });

  it.each<[string, unknown]>([
    ['null', null],
    ['a string', 'user.deleted'],
    ['an array', [deleted]],
  ])('refuses %s as a whole event', (_, candidate) => {
    expect(malformation(() => parseDomainEvent(candidate)).message).toContain('(event): ');
  });

  it('names every problem at once', () => {
    const message = malformation(() => parseDomainEvent({ type: 'user.deleted', occurredAt: 'never', data: { userId: 'x' } })).message;
    expect(message).toContain('id: ');
    expect(message).toContain('occurredAt: ');
    expect(message).toContain('data.userId: ');
  });

  it('refuses stream entries whose payload is not JSON, or missing, or of another shape', () => {
    const fields = toStreamFields(deleted);
    const withPayload = (payload: string) => fields.map((value, index) => (fields[index - 1] === 'payload' ? payload : value));
    expect(malformation(() => fromStreamFields(withPayload('{"userId":'))).message).toBe('payload: not JSON');
    expect(malformation(() => fromStreamFields(withPayload('42'))).message).toContain('data');
    expect(malformation(() => fromStreamFields(fields.slice(0, 4).concat(fields.slice(6)))).message).toContain('data');
    expect(malformation(() => fromStreamFields([])).message).toContain('id: ');
  });
});
