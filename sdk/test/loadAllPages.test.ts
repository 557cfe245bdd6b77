import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadAllPages, maxPageSize, type Page } from '../src/index.js';

/** Pages of `items` by cursor (the item itself), recording each `after` asked for. */
function pager(items: string[], size: number) {
  const asked: (string | null)[] = [];
  const fetchPage = async (after: string | null): Promise<Page<string>> => {
    asked.push(after);
    const start = after === null ? 0 : items.indexOf(after) + 1;
    const edges = items.slice(start, start + size).map((node) => ({ node }));
    return {
      edges,
      pageInfo: {
        hasNextPage: start + size < items.length,
        endCursor: edges.at(-1)?.node ?? null,
      },
    };
  };
  return { asked, fetchPage };
}

describe('loadAllPages', () => {
  it('asks page after page from each endCursor and answers every item in order', async () => {
    const items = Array.from({ length: 7 }, (_, i) => `i${i}`);
    const { asked, fetchPage } = pager(items, 3);
    expect(await loadAllPages(fetchPage)).toEqual(items);
    expect(asked).toEqual([null, 'i2', 'i5']);
  });

  it('stops at an empty list, and at a page that does not move the cursor on', async () => {
    expect(await loadAllPages(pager([], 3).fetchPage)).toEqual([]);
    const stuck = async (after: string | null): Promise<Page<string>> => ({
      edges: after === null ? [{ node: 'a' }] : [],
      pageInfo: { hasNextPage: true, endCursor: 'a' },
    });
    expect(await loadAllPages(stuck)).toEqual(['a']);
  });

  it('is the largest page size the schema gives the lists of availability, clinics and reservations', () => {
    const schema = readFileSync(
      new URL('../../subgraphs/scheduling/schema.graphql', import.meta.url),
      'utf8',
    );
    const limits = [...schema.matchAll(/Page size, 1 to (\d+)\./g)].map((m) => Number(m[1]));
    expect(limits).toHaveLength(4);
    expect(new Set(limits)).toEqual(new Set([maxPageSize]));
  });
});
