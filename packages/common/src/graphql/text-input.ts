/** The one check every text input goes through: no control or invisible characters reach storage (or Postgres, which refuses NUL). */
import { badInput } from '../errors/registry.js';

/**
 * C0 and C1 controls (\p{Cc}: NUL, DEL and the rest), zero-width characters and the word joiner, the byte-order
 * mark, bidi embeddings, overrides and isolates, and the line and paragraph separators.
 */
const UNSAFE_CHARACTER = /[\p{Cc}\u200B-\u200D\u2060\uFEFF\u202A-\u202E\u2066-\u2069\u2028\u2029]/u;
/** What multi-line text may hold of the controls: tab, line feed and carriage return. */
const LINE_LAYOUT = /[\t\n\r]/g;

export interface PlainTextOptions {
  /** Allow tabs and line breaks (a bio, a description); NUL and the invisible characters stay refused. */
  multiline?: boolean;
}

/** Whether `value` holds no character a plain-text input refuses. */
export function isPlainText(value: string, options: PlainTextOptions = {}): boolean {
  return !UNSAFE_CHARACTER.test(options.multiline ? value.replace(LINE_LAYOUT, '') : value);
}

/** Throws BAD_USER_INPUT naming `field` if `value` holds a control or invisible character. */
export function assertPlainText(value: string, field: string, options: PlainTextOptions = {}): void {
  if (!isPlainText(value, options)) {
    throw badInput(field, 'Text must not contain control or invisible characters (such as NUL, zero-width or bidi controls)');
  }
}
