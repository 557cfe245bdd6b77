import { describe, expect, it } from 'vitest';
import {
  cursorPages,
  linkedPages,
  nextLink,
  numberedPages,
  type PageAddress,
  ProviderErrorCode,
  pageAddress,
} from '../src/index.js';

async function collect<T>(pages: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(page);
  return all;
}

describe('cursorPages', () => {
  const book: Record<string, { items: number[]; next?: string }> = {
    first: { items: [1, 2], next: 'c2' },
    c2: { items: [3], next: 'c3' },
    c3: { items: [4] },
  };

  it('follows the cursor in each body to the last page', async () => {
    const asked: (string | undefined)[] = [];
    const pages = await collect(
      cursorPages({
        fetchPage: async (cursor) => {
          asked.push(cursor);
          return book[cursor ?? 'first'] ?? { items: [] };
        },
        nextCursor: (page) => page.next,
        maxPages: 10,
        label: 'Acme GET /slots',
      }),
    );
    expect(pages.flatMap((page) => page.items)).toEqual([1, 2, 3, 4]);
    expect(asked).toEqual([undefined, 'c2', 'c3']);
  });

  it('refuses a cursor that loops', async () => {
    const pages = cursorPages({
      fetchPage: async () => ({ next: 'same' }),
      nextCursor: (page) => page.next,
      maxPages: 10,
      label: 'Acme GET /slots',
    });
    await expect(collect(pages)).rejects.toMatchObject({
      code: ProviderErrorCode.BadResponse,
      message: 'Acme GET /slots: next cursor loops',
    });
  });

  it('refuses more pages than allowed', async () => {
    let n = 0;
    const pages = cursorPages({
      fetchPage: async () => ({ next: `c${++n}` }),
      nextCursor: (page) => page.next,
      maxPages: 3,
      label: 'Acme GET /slots',
    });
    await expect(collect(pages)).rejects.toThrow('more than 3 pages');
    expect(n).toBe(3);
  });

  it('fetches no further page once the caller stops', async () => {
    let fetched = 0;
    for await (const _page of cursorPages({
      fetchPage: async () => ({ next: `c${++fetched}` }),
      nextCursor: (page) => page.next,
      maxPages: 10,
      label: 'x',
    })) {
      break;
    }
    expect(fetched).toBe(1);
  });
});

describe('linkedPages', () => {
  const base = 'http://fhir.test/fhir/R4';

  function run(links: Record<string, string | undefined>, maxPages = 10) {
    const asked: string[] = [];
    const pages = linkedPages({
      baseUrl: base,
      first: { path: 'Slot', query: new URLSearchParams({ _count: '2' }) },
      fetchPage: async (address: PageAddress) => {
        const key = `${address.path}?${address.query}`;
        asked.push(key);
        return { key, next: links[key] };
      },
      nextUrl: (page) => page.next,
      maxPages,
      label: 'FHIR search Slot',
    });
    return { pages, asked };
  }

  it('follows next links below the root, whatever host they name', async () => {
    const { pages, asked } = run({
      'Slot?_count=2': 'http://internal:8080/fhir/R4/Slot?_count=2&_page=2',
      'Slot?_count=2&_page=2': 'Slot?_count=2&_page=3',
    });
    expect((await collect(pages)).length).toBe(3);
    expect(asked).toEqual(['Slot?_count=2', 'Slot?_count=2&_page=2', 'Slot?_count=2&_page=3']);
  });

  it('refuses a link that leaves the API root', async () => {
    const { pages } = run({ 'Slot?_count=2': 'http://fhir.test/admin/Slot?x=1' });
    await expect(collect(pages)).rejects.toThrow('FHIR search Slot: next link leaves the API root');
  });

  it('refuses a link that loops', async () => {
    const { pages } = run({ 'Slot?_count=2': '/fhir/R4/Slot?_count=2' });
    await expect(collect(pages)).rejects.toThrow('next link loops');
  });

  it('refuses more pages than allowed', async () => {
    const { pages, asked } = run(
      { 'Slot?_count=2': 'Slot?p=2', 'Slot?p=2': 'Slot?p=3', 'Slot?p=3': 'Slot?p=4' },
      2,
    );
    await expect(collect(pages)).rejects.toThrow('more than 2 pages');
    expect(asked).toHaveLength(2);
  });

  it('refuses an unreadable link', () => {
    expect(() => pageAddress(base, 'http://[bad', 'x')).toThrow('x: unreadable next link');
  });
});

describe('nextLink', () => {
  it.each([
    [
      '<https://api.test/slots?page=2>; rel="next", <https://api.test/slots?page=9>; rel="last"',
      'https://api.test/slots?page=2',
    ],
    [
      '<https://api.test/slots?page=1>; rel="prev", <https://api.test/slots?page=3>; rel=next',
      'https://api.test/slots?page=3',
    ],
    ['<https://api.test/a>; title="x"; rel="prev next"', 'https://api.test/a'],
    ['<https://api.test/slots?page=9>; rel="last"', undefined],
    [undefined, undefined],
  ])('reads %j', (header, next) => {
    expect(nextLink(header)).toBe(next);
  });
});

describe('numberedPages', () => {
  function run(count: number, answer = (n: number) => n, maxPages = 10) {
    const asked: number[] = [];
    const pages = numberedPages({
      fetchPage: async (n) => {
        asked.push(n);
        return { page: answer(n), totalPages: count, items: [n * 10] };
      },
      pageCount: (first) => first.totalPages,
      pageNumber: (page) => page.page,
      maxPages,
      label: 'Acme GET /slots',
    });
    return { pages, asked };
  }

  it('reads page 1, then every other page the first one announces', async () => {
    const { pages, asked } = run(3);
    expect((await pages).flatMap((page) => page.items)).toEqual([10, 20, 30]);
    expect(asked).toEqual([1, 2, 3]);
  });

  it('reads one page of an empty list', async () => {
    const { pages, asked } = run(0);
    expect(await pages).toHaveLength(1);
    expect(asked).toEqual([1]);
  });

  it('refuses more pages than allowed before fetching them', async () => {
    const { pages, asked } = run(11);
    await expect(pages).rejects.toThrow('Acme GET /slots: 11 pages, more than the 10 allowed');
    expect(asked).toEqual([1]);
  });

  it('refuses a page other than the one asked for', async () => {
    const { pages } = run(3, (n) => (n === 3 ? 2 : n));
    await expect(pages).rejects.toMatchObject({
      code: ProviderErrorCode.BadResponse,
      message: 'Acme GET /slots: asked for page 3, got page 2',
    });
  });
});
