/** The response assertions of tests/support/client.ts name the request they are about when they fail. */
import { describe, expect, it } from '@jest/globals';
import { aboutResponse, dataOf, describeResponse, expectError, type GraphQLResponse } from '../../support/client.js';

function fabricated<TData>(body: GraphQLResponse<TData>['body'], { requestId = 'req-7f3a9c', status = 200 } = {}): GraphQLResponse<TData> {
  return { status, headers: new Headers({ 'x-request-id': requestId, 'content-type': 'application/json' }), body };
}

const forbidden = fabricated<{ me: { id: string } }>({
  data: null,
  errors: [{ message: 'Only the OWNER can delete the workspace', extensions: { code: 'FORBIDDEN' } }],
});

/** The error `run` throws (the test fails if it throws none). */
function failureOf(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    if (error instanceof Error) return error;
    throw new Error(`threw a non-Error: ${String(error)}`, { cause: error });
  }
  throw new Error('expected a failure, but the assertions passed');
}

describe('assertions about a response', () => {
  it('dataOf: a response with errors fails with the request id and status first, in the message and the printed stack', () => {
    const failure = failureOf(() => dataOf(forbidden));
    expect(failure.message.startsWith('request req-7f3a9c (HTTP 200): ')).toBe(true);
    expect(failure.message).toContain('toBeUndefined');
    expect(failure.message).toContain('Only the OWNER can delete the workspace');
    expect(failure.stack).toContain('request req-7f3a9c (HTTP 200): ');
    // Once, not twice: jest prints the stack as the message when the stack holds it.
    expect(failure.stack?.split('req-7f3a9c')).toHaveLength(2);
  });

  it('dataOf: a response with neither errors nor data fails with the request id too', () => {
    const failure = failureOf(() => dataOf(fabricated({ data: null }, { requestId: 'req-empty', status: 502 })));
    expect(failure.message).toBe('request req-empty (HTTP 502): no data: {"data":null}');
  });

  it('expectError: another code than expected fails with the request id', () => {
    const failure = failureOf(() => expectError(forbidden, 'NOT_FOUND'));
    expect(failure.message.startsWith('request req-7f3a9c (HTTP 200): ')).toBe(true);
    expect(failure.message).toContain('NOT_FOUND');
  });

  it('expectError: the right code on the wrong field fails with the request id', () => {
    const badInput = fabricated({ data: null, errors: [{ message: 'bad', extensions: { code: 'BAD_USER_INPUT', field: 'first' } }] });
    expect(() => expectError(badInput, 'BAD_USER_INPUT', 'first')).not.toThrow();
    expect(failureOf(() => expectError(badInput, 'BAD_USER_INPUT', 'after')).message).toMatch(/^request req-7f3a9c \(HTTP 200\): /);
  });

  it('passes what holds through unchanged', () => {
    expect(dataOf(fabricated({ data: { me: { id: 'u1' } } }))).toEqual({ me: { id: 'u1' } });
    expect(() => expectError(forbidden, 'FORBIDDEN')).not.toThrow();
    expect(aboutResponse(forbidden, () => 42)).toBe(42);
  });

  it('says so when the response carries no request id', () => {
    const anonymous: GraphQLResponse = { status: 400, headers: new Headers(), body: {} };
    expect(describeResponse(anonymous)).toBe('request (no x-request-id) (HTTP 400)');
    expect(failureOf(() => aboutResponse(anonymous, () => expect(1).toBe(2))).message).toMatch(/^request \(no x-request-id\) \(HTTP 400\): /);
  });
});
