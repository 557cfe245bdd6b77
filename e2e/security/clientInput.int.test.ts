import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Answer, post } from './send.js';
import { type HttpGraph, startHttpGraph } from './startHttpGraph.js';

const availability = `query Availability($filter: AvailabilityFilter!) {
  availability(filter: $filter, first: 1) { edges { node { id } } } }`;
const from = new Date(Date.now() + 2 * 24 * 3600_000);
const to = new Date(from.getTime() + 24 * 3600_000).toISOString();
const literal = (value: string) =>
  `{ availability(filter: { from: ${JSON.stringify(value)}, to: "${to}" }, first: 1) { edges { node { id } } } }`;

/** What a client must never see outside development: a subgraph's URL, its answer, a stack. */
function expectNoInsides(answer: Answer, graph: HttpGraph) {
  expect(answer.text).not.toContain(graph.schedulingUrl);
  expect(answer.text).not.toMatch(/stacktrace|"response"|at .*\.ts:\d+/);
}

let graph: HttpGraph;
/** The gateway's base URL by mode, both over the one scheduling subgraph. */
const gateways: Record<string, string> = {};
beforeAll(async () => {
  graph = await startHttpGraph();
  gateways.development = graph.url;
  // Production runs only the SDK's documents by default; these are typed by hand.
  gateways.production = (
    await graph.gateway({ NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'allow-listed-or-hash' })
  ).url;
});
afterAll(async () => {
  await graph?.stop();
});

describe.each(['development', 'production'] as const)(
  'client input through the real gateway and scheduling over HTTP: %s',
  (mode) => {
    let gateway: string;
    let auth: Record<string, string>;
    beforeAll(async () => {
      gateway = gateways[mode]!;
      auth = { authorization: `Bearer ${await graph.token(['availability:read'])}` };
    });

    it('answers an operationName that names no operation, or none among several, with 400 OPERATION_RESOLUTION_FAILURE', async () => {
      for (const [body, message] of [
        [
          { query: 'query A { treatments { id } }', operationName: 'B' },
          'Unknown operation named "B".',
        ],
        [
          { query: 'query A { treatments { id } } query B { providers { id } }' },
          'Must provide operation name if query contains multiple operations.',
        ],
      ] as const) {
        const answer = await post(gateway, body, auth);
        expect(answer.status).toBe(400);
        expect(answer.body.errors).toEqual([
          mode === 'development'
            ? expect.objectContaining({
                message,
                extensions: expect.objectContaining({ code: 'OPERATION_RESOLUTION_FAILURE' }),
              })
            : { message, extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } },
        ]);
      }
      const named = await post(
        gateway,
        { query: 'query A { treatments { id } } query B { providers { id } }', operationName: 'B' },
        auth,
      );
      expect(named.status).toBe(200);
      expect(named.body.data.providers.length).toBeGreaterThan(0);
    });

    it.each([
      ['without offset', '2026-12-10T10:00:00'],
      ['on 30 February', '2026-02-30T10:00:00+01:00'],
      ['a leap second', '2026-12-31T23:59:60Z'],
      ['an epoch number', 1_765_000_000],
    ])(
      'answers a DateTime variable %s, which scheduling refuses, with 400 BAD_USER_INPUT naming it',
      async (_, value) => {
        const answer = await post(
          gateway,
          { query: availability, variables: { filter: { from: value, to } } },
          auth,
        );
        expect(answer.status).toBe(400);
        expect(answer.body.errors).toHaveLength(1);
        const [error] = answer.body.errors;
        expect(error.message).toMatch(
          /^Variable "\$filter" got invalid value .* at "filter\.from"; DateTime must be/,
        );
        expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: '$filter.from' });
        if (mode === 'development') {
          // The subgraph's answer, for the developer, under `debug` only.
          expect(Object.keys(error.extensions).sort()).toEqual(['code', 'debug', 'field']);
          expect(error.extensions.debug).toMatchObject({
            subgraph: 'scheduling',
            url: `${graph.schedulingUrl}/graphql`,
            status: 400,
          });
        } else {
          expect(error.extensions).toEqual({ code: 'BAD_USER_INPUT', field: '$filter.from' });
          expectNoInsides(answer, graph);
        }
      },
    );

    it('answers a DateTime written in the document that scheduling refuses with 400 BAD_USER_INPUT naming the argument', async () => {
      const answer = await post(gateway, { query: literal('2026-02-30T10:00:00+01:00') }, auth);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({
        message: expect.stringMatching(/^filter\.from: DateTime must be/),
        extensions: { code: 'BAD_USER_INPUT', field: 'filter.from' },
      });
      if (mode === 'production') expectNoInsides(answer, graph);
      // A valid instant runs.
      const valid = await post(gateway, { query: literal(from.toISOString()) }, auth);
      expect(valid.status).toBe(200);
      expect(valid.body.errors).toBeUndefined();
    });

    it('answers a persisted-document hash that is not its text’s with 400 BAD_USER_INPUT', async () => {
      const text = '{ treatments { id } }';
      const other = createHash('sha256').update('{ providers { id } }').digest('hex');
      const answer = await post(
        gateway,
        { query: text, extensions: { persistedQuery: { version: 1, sha256Hash: other } } },
        auth,
      );
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({
        message: 'provided sha does not match query',
        extensions: { code: 'BAD_USER_INPUT' },
      });
      if (mode === 'production') expectNoInsides(answer, graph);
    });
  },
);
