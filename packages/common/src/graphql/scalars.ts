import { GraphQLScalarType, Kind } from 'graphql';
import { ERRORS } from '../errors/registry.js';

function parseDate(value: unknown): Date {
  const date = typeof value === 'string' ? new Date(value) : undefined;
  if (!date || Number.isNaN(date.getTime())) throw ERRORS.BAD_USER_INPUT('DateTime must be an ISO-8601 string');
  return date;
}

/** ISO-8601 date-times in UTC, as the contract's DateTime scalar says. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An ISO-8601 date-time string in UTC, e.g. 2026-11-25T21:14:33.000Z.',
  serialize(value) {
    if (value instanceof Date) return value.toISOString();
    return parseDate(value).toISOString();
  },
  parseValue: parseDate,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw ERRORS.BAD_USER_INPUT('DateTime must be an ISO-8601 string');
    return parseDate(ast.value);
  },
});
