/**
 * The one form an email address is compared and stored in, everywhere (auth, the workspaces directory,
 * throttle keys): NFKC-normalised, trimmed and lower-cased; and the characters an address may hold.
 */
import { badInput } from '../errors/registry.js';
import { assertPlainText } from '../graphql/text-input.js';

export function normalizeEmail(raw: string): string {
  return raw.normalize('NFKC').trim().toLowerCase();
}

/**
 * Scripts a domain label's letters are told apart by. Han with Hiragana and Katakana (Japanese) and Han with
 * Hangul (Korean) are written together, so each pair counts as one; letters of any other script count as one
 * script of their own.
 */
const SCRIPTS: ReadonlyArray<{ name: string; letter: RegExp }> = [
  { name: 'Latin', letter: /\p{Script=Latin}/u },
  { name: 'Cyrillic', letter: /\p{Script=Cyrillic}/u },
  { name: 'Greek', letter: /\p{Script=Greek}/u },
  { name: 'Armenian', letter: /\p{Script=Armenian}/u },
  { name: 'Georgian', letter: /\p{Script=Georgian}/u },
  { name: 'Hebrew', letter: /\p{Script=Hebrew}/u },
  { name: 'Arabic', letter: /\p{Script=Arabic}/u },
  { name: 'Devanagari', letter: /\p{Script=Devanagari}/u },
  { name: 'Thai', letter: /\p{Script=Thai}/u },
  { name: 'Cherokee', letter: /\p{Script=Cherokee}/u },
  { name: 'CJK', letter: /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u },
];

function scriptOf(letter: string): string {
  return SCRIPTS.find((script) => script.letter.test(letter))?.name ?? 'Other';
}

/** Whether every label of `domain` writes its letters in one script (digits and hyphens belong to none). */
export function isSingleScriptDomain(domain: string): boolean {
  return domain.split('.').every((label) => new Set(Array.from(label.match(/\p{L}/gu) ?? [], scriptOf)).size <= 1);
}

/**
 * The address in its stored form, or BAD_USER_INPUT naming `field`: control and invisible characters are refused
 * (they are not removed: an address that differs only by them is not the same address), and so is a domain label
 * mixing scripts, such as a Cyrillic "а" among Latin letters. Shape and length are the caller's rules.
 */
export function checkedEmail(raw: string, field: string): string {
  assertPlainText(raw, field);
  const email = normalizeEmail(raw);
  const domain = email.slice(email.lastIndexOf('@') + 1);
  if (!isSingleScriptDomain(domain)) throw badInput(field, 'Email domain must not mix letters of different scripts');
  return email;
}
