/**
 * The one form an email address is compared and stored in, everywhere (auth, the workspaces directory,
 * throttle keys): trimmed and lower-cased.
 */
export function normalizeEmail(raw: string): string {
  return raw.trim().toLowerCase();
}
