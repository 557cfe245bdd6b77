import { createHash } from 'node:crypto';
import { gql } from '@apollo/client';
import { describe, expect, it } from 'vitest';
import manifest from '../src/__generated__/persisted-documents.json' with { type: 'json' };
import * as documents from '../src/documents.js';
import { documentHash } from '../src/index.js';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('documentHash', () => {
  it('answers the manifest key of every document of the SDK: the sha256 of its text there', () => {
    const entries = Object.entries(documents).filter(([name]) => name.endsWith('Document'));
    expect(entries.length).toBe(Object.keys(manifest).length);
    for (const [, document] of entries) {
      const hash = documentHash(document as Parameters<typeof documentHash>[0]);
      expect(hash).toBeDefined();
      const text = (manifest as Record<string, string>)[hash!];
      expect(text).toBeDefined();
      expect(sha256(text!)).toBe(hash);
    }
  });

  it('answers undefined for a document that is not the SDK’s', () => {
    expect(documentHash(gql`query Handwritten { treatments { id } }`)).toBeUndefined();
  });
});
