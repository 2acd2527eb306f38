/** The checks of an UpdateProfileInput (users' profile-input.ts): what each field accepts, and the field a refusal names. */
import { describe, expect, it } from '@jest/globals';
import { DISPLAY_NAME_MAX_LENGTH, validProfileChanges } from '../domain/profile-input.js';

type Input = Parameters<typeof validProfileChanges>[0];

/** The refusal's field, or the changes when the input is accepted. */
function fieldRefused(input: Input): string {
  try {
    return `accepted ${JSON.stringify(validProfileChanges(input))}`;
  } catch (error) {
    const extensions = (error as { extensions?: Record<string, unknown> }).extensions;
    expect(extensions?.['code']).toBe('BAD_USER_INPUT');
    return String(extensions?.['field']);
  }
}

describe('validProfileChanges', () => {
  it('changes only what the input names, and clears what it sets to null', () => {
    expect(validProfileChanges({})).toEqual({});
    expect(validProfileChanges({ bio: null, avatarUrl: null, timezone: null })).toEqual({ bio: null, avatarUrl: null, timezone: null });
    expect(validProfileChanges({ displayName: '  Ada  ', bio: '  Countess  ' })).toEqual({ displayName: 'Ada', bio: 'Countess' });
  });

  it('counts characters as people do: an emoji is one', () => {
    expect(validProfileChanges({ displayName: '🦊'.repeat(DISPLAY_NAME_MAX_LENGTH) }).displayName).toHaveLength(2 * DISPLAY_NAME_MAX_LENGTH);
    expect(fieldRefused({ displayName: '🦊'.repeat(DISPLAY_NAME_MAX_LENGTH + 1) })).toBe('displayName');
    expect(fieldRefused({ bio: '✓'.repeat(1000) })).toMatch(/^accepted/);
    expect(fieldRefused({ bio: '✓'.repeat(1001) })).toBe('bio');
  });

  it.each<[string, Input, string]>([
    ['an empty display name', { displayName: '' }, 'displayName'],
    ['a blank display name', { displayName: ' \t ' }, 'displayName'],
    ['a null display name (it cannot be cleared)', { displayName: null }, 'displayName'],
    ['a relative avatar URL', { avatarUrl: '/avatars/ada.png' }, 'avatarUrl'],
    ['an avatar URL that is not http(s)', { avatarUrl: 'javascript:alert(1)' }, 'avatarUrl'],
    ['an ftp avatar URL', { avatarUrl: 'ftp://example.test/ada.png' }, 'avatarUrl'],
    ['an avatar URL over 2048 characters', { avatarUrl: `https://example.test/${'a'.repeat(2048)}` }, 'avatarUrl'],
    ['a UTC offset for a time zone', { timezone: '+01:00' }, 'timezone'],
    ['a time zone that does not exist', { timezone: 'Mars/Olympus_Mons' }, 'timezone'],
    ['an empty time zone', { timezone: '' }, 'timezone'],
    ['the first bad field of several', { displayName: 'Ada', avatarUrl: 'nope', bio: 'x'.repeat(5000) }, 'avatarUrl'],
  ])('refuses %s', (_, input, field) => {
    expect(fieldRefused(input)).toBe(field);
  });

  it('keeps an absolute http(s) avatar URL, trimmed', () => {
    expect(validProfileChanges({ avatarUrl: ' https://cdn.example.test/a/ada.png?size=64 ' })).toEqual({
      avatarUrl: 'https://cdn.example.test/a/ada.png?size=64',
    });
    expect(validProfileChanges({ avatarUrl: 'http://localhost:8000/ada.png' }).avatarUrl).toBe('http://localhost:8000/ada.png');
  });

  it('keeps a blank bio as none', () => {
    expect(validProfileChanges({ bio: '   ' })).toEqual({ bio: null });
  });

  it('takes IANA zone names in their canonical capitalisation, and keeps an alias as the user wrote it', () => {
    expect(validProfileChanges({ timezone: 'Europe/Paris' }).timezone).toBe('Europe/Paris');
    expect(validProfileChanges({ timezone: 'europe/paris' }).timezone).toBe('Europe/Paris');
    expect(validProfileChanges({ timezone: ' UTC ' }).timezone).toBe('UTC');
    expect(validProfileChanges({ timezone: 'EST' }).timezone).toBe('EST');
  });
});
