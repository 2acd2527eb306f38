import { badInput } from '@pyairtable/common/errors';
import { assertPlainText } from '@pyairtable/common/graphql';
import type { ProfileChanges } from '../data/profile-store.js';
import type { UpdateProfileInput } from '../resolvers/resolvers-types.generated.js';

export const DISPLAY_NAME_MAX_LENGTH = 100;
const AVATAR_URL_MAX_LENGTH = 2048;
const BIO_MAX_LENGTH = 1000;

// Each field is checked for control and invisible characters before trimming, which would drop some at the ends.

/** Length in characters as a person counts them (code points), so an emoji is one. */
function characterCount(value: string): number {
  return Array.from(value).length;
}

function validDisplayName(raw: string | null): string {
  assertPlainText(raw ?? '', 'displayName');
  const displayName = raw?.trim() ?? '';
  if (displayName.length === 0) throw badInput('displayName', 'Display name cannot be empty');
  if (characterCount(displayName) > DISPLAY_NAME_MAX_LENGTH) {
    throw badInput('displayName', `Display name must be at most ${DISPLAY_NAME_MAX_LENGTH} characters`);
  }
  return displayName;
}

function validAvatarUrl(raw: string | null): string | null {
  if (raw === null) return null;
  assertPlainText(raw, 'avatarUrl');
  const avatarUrl = raw.trim();
  if (avatarUrl.length > AVATAR_URL_MAX_LENGTH) {
    throw badInput('avatarUrl', `Avatar URL must be at most ${AVATAR_URL_MAX_LENGTH} characters`);
  }
  if (!URL.canParse(avatarUrl) || !['http:', 'https:'].includes(new URL(avatarUrl).protocol)) {
    throw badInput('avatarUrl', 'Avatar URL must be an absolute http or https URL');
  }
  return avatarUrl;
}

function validBio(raw: string | null): string | null {
  assertPlainText(raw ?? '', 'bio', { multiline: true });
  const bio = raw?.trim() ?? '';
  if (characterCount(bio) > BIO_MAX_LENGTH) throw badInput('bio', `Bio must be at most ${BIO_MAX_LENGTH} characters`);
  return bio.length > 0 ? bio : null;
}

/** An IANA zone name ("Europe/Paris", "UTC"), with its canonical capitalisation. */
function validTimezone(raw: string | null): string | null {
  if (raw === null) return null;
  assertPlainText(raw, 'timezone');
  const timezone = raw.trim();
  let resolved: string;
  try {
    // Only named zones: UTC offsets such as "+01:00" are not IANA names.
    if (!/^[A-Za-z]/.test(timezone)) throw new RangeError('not a zone name');
    resolved = new Intl.DateTimeFormat('en-US', { timeZone: timezone }).resolvedOptions().timeZone;
  } catch {
    throw badInput('timezone', 'Time zone must be an IANA time zone name such as Europe/Paris or UTC');
  }
  // ICU answers an alias with its target ("EST" → "America/Panama"): keep the name the user chose.
  return resolved.toLowerCase() === timezone.toLowerCase() ? resolved : timezone;
}

/**
 * The changes an UpdateProfileInput asks for, each field checked; BAD_USER_INPUT names the first bad one. A field
 * left out is undefined (no change), an explicit null is null (clear it).
 */
export function validProfileChanges(input: UpdateProfileInput): ProfileChanges {
  const changes: ProfileChanges = {};
  if (input.displayName !== undefined) changes.displayName = validDisplayName(input.displayName);
  if (input.avatarUrl !== undefined) changes.avatarUrl = validAvatarUrl(input.avatarUrl);
  if (input.bio !== undefined) changes.bio = validBio(input.bio);
  if (input.timezone !== undefined) changes.timezone = validTimezone(input.timezone);
  return changes;
}
