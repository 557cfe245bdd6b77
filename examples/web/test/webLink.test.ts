import { describe, expect, it } from 'vitest';
import { webLink } from '../src/format/webLink.js';

describe('webLink', () => {
  it('keeps web addresses and drops what would run in the page or is no address', () => {
    expect(webLink('https://boka.example.se/tid/42')).toBe('https://boka.example.se/tid/42');
    expect(webLink('http://127.0.0.1:4104/book')).toBe('http://127.0.0.1:4104/book');
    for (const url of [
      'javascript:alert(1)',
      'JavaScript:alert(1)',
      'data:text/html,x',
      'boka',
      '',
      null,
    ]) {
      expect(webLink(url)).toBeUndefined();
    }
  });
});
