import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createOperationClient, type OperationRequest, ProviderErrorCode } from '../src/index.js';

const origin = 'http://acme.test';
let agent: MockAgent;
beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

const budget = () => ({ signal: AbortSignal.timeout(5000), deadlineAt: Date.now() + 5000 });
const page = z.object({ data: z.array(z.number()), page: z.number(), totalPages: z.number() });
const listNumbers = (n: number): OperationRequest<z.output<typeof page>> => ({
  method: 'GET',
  path: '/numbers',
  query: { page: n },
  schema: page,
});
const read = {
  items: (p: z.output<typeof page>) => p.data,
  pageCount: (p: z.output<typeof page>) => p.totalPages,
  pageNumber: (p: z.output<typeof page>) => p.page,
};

function client(maxPages?: number) {
  const endpoint = {
    label: 'Acme',
    baseUrl: origin,
    dispatcher: agent,
    expectedFailures: { statuses: [404], schema: z.unknown() },
  };
  return createOperationClient(endpoint, maxPages === undefined ? {} : { maxPages });
}

function answer(n: number, data: number[], totalPages: number) {
  agent
    .get(origin)
    .intercept({ path: `/numbers?page=${n}` })
    .reply(200, { data, page: n, totalPages }, { headers: { 'content-type': 'application/json' } });
}

describe('createOperationClient: numbered', () => {
  it('reads page 1, then every page it announces, in order', async () => {
    answer(1, [1, 2], 3);
    answer(2, [3, 4], 3);
    answer(3, [5], 3);
    expect(await client().numbered(listNumbers, read, budget())).toEqual([1, 2, 3, 4, 5]);
  });

  it('refuses a list longer than maxPages as PROVIDER_BAD_RESPONSE', async () => {
    answer(1, [1], 3);
    await expect(client(2).numbered(listNumbers, read, budget())).rejects.toMatchObject({
      code: ProviderErrorCode.BadResponse,
      message: expect.stringContaining('Acme /numbers'),
    });
  });
});
