/** The one registry of error codes (errors/registry.ts) against the contract's list (API.md, "Errors" and the REST shim). */
import { describe, expect, it } from '@jest/globals';
import { ERRORS, ERROR_CODES, badInput, codeOf, describeErrorCode, graphQLError, httpStatusFor, isErrorCode } from '@pyairtable/common/errors';

/** Every code API.md lists, with the HTTP status the REST shim answers it with. */
const CONTRACT: Record<string, number> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  BAD_USER_INPUT: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
  RATE_LIMITED: 429,
  GRAPHQL_VALIDATION_FAILED: 400,
  GRAPHQL_PARSE_FAILED: 400,
  SERVICE_UNAVAILABLE: 503,
  INTERNAL_SERVER_ERROR: 500,
};

describe('the error registry', () => {
  it('has exactly the codes of the contract, each with its HTTP status and a description', () => {
    expect([...ERROR_CODES].sort()).toEqual(Object.keys(CONTRACT).sort());
    for (const code of ERROR_CODES) {
      expect([code, httpStatusFor(code)]).toEqual([code, CONTRACT[code]]);
      expect(describeErrorCode(code).length).toBeGreaterThan(10);
    }
  });

  it('knows its codes and nothing else, not even what every object has', () => {
    expect(ERROR_CODES.every(isErrorCode)).toBe(true);
    for (const other of ['forbidden', 'Forbidden', 'toString', 'constructor', '__proto__', 'hasOwnProperty', '', 403, null, undefined, {}]) {
      expect(isErrorCode(other)).toBe(false);
    }
  });

  it('makes one GraphQL error per code, carrying the code and the details', () => {
    for (const code of ERROR_CODES) {
      const error = ERRORS[code]('what happened');
      expect([error.message, error.extensions]).toEqual(['what happened', { code }]);
    }
    expect(ERRORS.RATE_LIMITED('slow down', { retryAfter: 12 }).extensions).toEqual({ code: 'RATE_LIMITED', retryAfter: 12 });
    expect(ERRORS.SERVICE_UNAVAILABLE('down', { service: 'users' }).extensions).toEqual({ code: 'SERVICE_UNAVAILABLE', service: 'users' });
    expect(graphQLError('CONFLICT', 'taken').extensions).toEqual({ code: 'CONFLICT' });
  });

  it('names the field of bad input', () => {
    const error = badInput('email', 'Email is not valid');
    expect([error.message, error.extensions]).toEqual(['Email is not valid', { code: 'BAD_USER_INPUT', field: 'email' }]);
  });

  it('reads back a code of ours, and only one of ours', () => {
    expect(codeOf(ERRORS.NOT_FOUND('gone'))).toBe('NOT_FOUND');
    expect(codeOf({ extensions: { code: 'NOT_FOUND' } })).toBe('NOT_FOUND');
    expect(codeOf({ extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } })).toBeUndefined();
    expect(codeOf({ extensions: {} })).toBeUndefined();
    expect(codeOf({})).toBeUndefined();
    expect(codeOf(undefined)).toBeUndefined();
  });
});
