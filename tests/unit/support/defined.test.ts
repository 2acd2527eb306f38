/** The reads of tests/support/defined.ts return what is there and fail, naming what is missing, when it is not. */
import { describe, expect, it } from '@jest/globals';
import { defined, itemAt } from '../../support/defined.js';

describe('defined', () => {
  it('returns a present value, falsy ones included', () => {
    expect(defined('x', 'a letter')).toBe('x');
    expect(defined(0, 'a count')).toBe(0);
    expect(defined('', 'a string')).toBe('');
    expect(defined(false, 'a flag')).toBe(false);
  });

  it('fails on undefined and null, naming what was expected', () => {
    expect(() => defined(undefined, 'the login payload')).toThrow('expected the login payload, found undefined');
    expect(() => defined(null, 'the row')).toThrow('expected the row, found null');
  });
});

describe('itemAt', () => {
  it('returns the item at an index, counting from the end when negative', () => {
    expect(itemAt(['a', 'b', 'c'], 0)).toBe('a');
    expect(itemAt(['a', 'b', 'c'], -1)).toBe('c');
  });

  it('fails past either end, naming what was expected and how many items there were', () => {
    expect(() => itemAt(['a'], 1, 'the second attempt')).toThrow('expected the second attempt at index 1 of 1 item(s)');
    expect(() => itemAt([], -1)).toThrow('expected an item at index -1 of 0 item(s)');
  });
});
