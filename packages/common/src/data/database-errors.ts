import { ERRORS } from '../errors/registry.js';

/** Prisma's known-request error codes we translate (https://www.prisma.io/docs/orm/reference/error-reference). */
const UNIQUE_VIOLATION = 'P2002';
const RECORD_NOT_FOUND = 'P2025';

export function prismaErrorCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  const { code } = error;
  return typeof code === 'string' && /^P\d{4}$/.test(code) ? code : undefined;
}

export function isUniqueViolation(error: unknown): boolean {
  return prismaErrorCode(error) === UNIQUE_VIOLATION;
}

export function isRecordNotFound(error: unknown): boolean {
  return prismaErrorCode(error) === RECORD_NOT_FOUND;
}

export interface DatabaseErrorMessages {
  /** Answer for a unique violation: CONFLICT with this message. */
  conflict?: string;
  /** Answer for a write to a row that is not there: NOT_FOUND with this message. */
  notFound?: string;
}

/** Runs a write and turns the database errors a caller can cause into registry errors; others propagate. */
export async function translateDatabaseErrors<T>(messages: DatabaseErrorMessages, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (messages.conflict && isUniqueViolation(error)) throw ERRORS.CONFLICT(messages.conflict);
    if (messages.notFound && isRecordNotFound(error)) throw ERRORS.NOT_FOUND(messages.notFound);
    throw error;
  }
}
