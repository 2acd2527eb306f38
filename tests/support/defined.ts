/**
 * Reads a test needs to find something: they fail at once with a message naming what was missing, instead of a
 * TypeError on `undefined` a few lines later (or a non-null assertion that hides the gap from the type checker).
 */

/** `value`, which must be neither undefined nor null. */
export function defined<T>(value: T | null | undefined, what: string): T {
  if (value === undefined || value === null) throw new Error(`expected ${what}, found ${String(value)}`);
  return value;
}

/** The item at `index` of `items` (negative counts from the end, as Array#at), which must be there. */
export function itemAt<T>(items: readonly T[], index: number, what = 'an item'): T {
  const item = items.at(index);
  if (item === undefined) throw new Error(`expected ${what} at index ${index} of ${items.length} item(s)`);
  return item;
}
