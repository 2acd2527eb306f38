/** Email addresses (identity/email.ts): the one normal form, and the characters and domains refused. */
import { describe, expect, it } from '@jest/globals';
import { GraphQLError } from 'graphql';
import { checkedEmail, isSingleScriptDomain, normalizeEmail } from '@pyairtable/common/identity';

function refusal(raw: string): unknown {
  try {
    checkedEmail(raw, 'email');
  } catch (error) {
    return error instanceof GraphQLError ? error.extensions : error;
  }
  return undefined;
}

describe('normalizeEmail', () => {
  it('folds fullwidth and composed forms (NFKC), then trims and lower-cases', () => {
    expect(normalizeEmail(' ＡＤＡ＠ｅｘａｍｐｌｅ．ｃｏｍ ')).toBe('ada@example.com');
    expect(normalizeEmail('Jose\u0301@example.com')).toBe('jos\u00e9@example.com');
    expect(normalizeEmail('jos\u00e9@example.com')).toBe(normalizeEmail('jose\u0301@example.com'));
  });
});

describe('isSingleScriptDomain', () => {
  it('accepts ASCII, one-script and Japanese labels', () => {
    expect(isSingleScriptDomain('example.com')).toBe(true);
    expect(isSingleScriptDomain('пример.рф')).toBe(true);
    expect(isSingleScriptDomain('bücher-1.example')).toBe(true);
    expect(isSingleScriptDomain('日本語ドメイン.jp')).toBe(true);
  });

  it('refuses a label mixing scripts, such as a Cyrillic а among Latin letters', () => {
    expect(isSingleScriptDomain('ex\u0430mple.com')).toBe(false);
    expect(isSingleScriptDomain('example.c\u03bfm')).toBe(false);
  });
});

describe('checkedEmail', () => {
  it('returns the normal form', () => {
    expect(checkedEmail('ＡＤＡ@Example.com', 'email')).toBe('ada@example.com');
  });

  it.each(['a\u0000@example.com', 'a\u200B@example.com', '\uFEFFa@example.com', 'a@example.com\u202E', 'a\u2028@example.com'])(
    'refuses control and invisible characters in %j, naming the field',
    (raw) => {
      expect(refusal(raw)).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
    },
  );

  it('refuses a mixed-script domain, naming the field', () => {
    expect(refusal('ada@p\u0430ypal.com')).toEqual({ code: 'BAD_USER_INPUT', field: 'email' });
  });
});
