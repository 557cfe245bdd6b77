import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createInProcessGraph,
  type InProcessGraph,
  inProcessPrincipal,
} from '../support/inProcessGraph.js';

const trusted = 'query TrustedProviders { providers { id name } }';
const hash = (text: string) => createHash('sha256').update(text).digest('hex');
const manifest = new Map([[hash(trusted), trusted]]);
const byHash = (text: string) => ({ persistedQuery: { version: 1, sha256Hash: hash(text) } });
const other = '{ treatments { id } }';

async function run(
  graph: InProcessGraph,
  query: string | undefined,
  extensions?: Record<string, unknown>,
) {
  const response = await graph.gateway.executeOperation(
    { query, ...(extensions && { extensions }) },
    { contextValue: { principal: inProcessPrincipal } },
  );
  if (response.body.kind !== 'single') throw new Error('incremental');
  return { status: response.http.status ?? 200, result: response.body.singleResult };
}

describe.each([
  [
    'off',
    {
      hash: 'PERSISTED_QUERY_NOT_SUPPORTED',
      text: 'ok',
      otherText: 'ok',
      unknownHash: 'PERSISTED_QUERY_NOT_SUPPORTED',
    },
  ],
  [
    'allow-listed-or-hash',
    { hash: 'ok', text: 'ok', otherText: 'ok', unknownHash: 'PERSISTED_QUERY_NOT_FOUND' },
  ],
  [
    'enforced',
    {
      hash: 'ok',
      text: 'ok',
      otherText: 'TRUSTED_DOCUMENT_REQUIRED',
      unknownHash: 'PERSISTED_QUERY_NOT_FOUND',
    },
  ],
] as const)('trusted documents: %s', (mode, expected) => {
  let graph: InProcessGraph;
  beforeAll(async () => {
    graph = await createInProcessGraph({ trustedDocuments: { mode, manifest } });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  const outcome = (result: Awaited<ReturnType<typeof run>>) =>
    result.result.errors?.[0]?.extensions?.code ?? (result.result.data ? 'ok' : 'no data');

  it(`runs a manifest document sent by hash only: ${expected.hash}`, async () => {
    expect(outcome(await run(graph, undefined, byHash(trusted)))).toBe(expected.hash);
  });

  it(`runs a manifest document sent as its exact text: ${expected.text}`, async () => {
    expect(outcome(await run(graph, trusted))).toBe(expected.text);
  });

  it(`treats any other document sent as text: ${expected.otherText}`, async () => {
    const result = await run(graph, other);
    expect(outcome(result)).toBe(expected.otherText);
    if (expected.otherText !== 'ok') expect(result.status).toBe(400);
  });

  it(`treats an unknown hash: ${expected.unknownHash}, and never learns it`, async () => {
    expect(outcome(await run(graph, undefined, byHash(other)))).toBe(expected.unknownHash);
    // Automatic registration (hash + text) must not add the document to the allow-list.
    await run(graph, other, byHash(other));
    expect(outcome(await run(graph, undefined, byHash(other)))).toBe(expected.unknownHash);
  });
});
