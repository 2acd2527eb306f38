/** Plain-text inputs (text-input.ts): which characters are refused, and that the refusal names the field. */
import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { assertPlainText, isPlainText } from '@pyairtable/common/graphql';

const REFUSED = [
  '\u0000',
  '\u0007',
  '\u001B',
  '\u007F',
  '\u0085',
  '\u009F',
  '\u200B',
  '\u200C',
  '\u200D',
  '\u2060',
  '\uFEFF',
  '\u202A',
  '\u202E',
  '\u2066',
  '\u2069',
  '\u2028',
  '\u2029',
];

describe('isPlainText', () => {
  it.each(REFUSED.map((character): [string, string] => [(character.codePointAt(0) ?? 0).toString(16), character]))(
    'refuses U+%s anywhere',
    (_, character) => {
      expect(isPlainText(`a${character}b`)).toBe(false);
      expect(isPlainText(`${character}ab`, { multiline: true })).toBe(false);
    },
  );

  it('accepts letters of any script, emoji and ordinary punctuation', () => {
    expect(isPlainText('Zoë Ødegaard — 東京 👩🏽‍💻'.replace('\u200D', ''))).toBe(true);
  });

  it('allows tab and line breaks only in multi-line text', () => {
    for (const character of ['\t', '\n', '\r']) {
      expect(isPlainText(`a${character}b`)).toBe(false);
      expect(isPlainText(`a${character}b`, { multiline: true })).toBe(true);
    }
  });
});

describe('assertPlainText', () => {
  it('throws BAD_USER_INPUT naming the field', () => {
    let thrown: unknown;
    try {
      assertPlainText('x\u0000', 'input.displayName');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(GraphQLError);
    expect((thrown as GraphQLError).extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.displayName' });
  });

  it('passes plain text', () => {
    expect(() => assertPlainText('Ada Lovelace', 'displayName')).not.toThrow();
  });
});
