import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryLimits } from '../src/createGateway.js';
import { startGateway } from './startGateway.js';

describe.each([
  ['development', {}],
  ['production', { NODE_ENV: 'production', TRUSTED_DOCUMENTS: 'allow-listed-or-hash' }],
] as const)('documents the gateway refuses before planning (%s)', (_, env) => {
  let gateway: Awaited<ReturnType<typeof startGateway>>;
  beforeAll(async () => {
    gateway = await startGateway(env);
  });
  afterAll(async () => {
    await gateway?.close();
  });

  const aliases = (n: number) =>
    `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(' ')} }`;

  it('counts __typename aliases against the alias limit, through fragments too', async () => {
    const within = await gateway.post({ query: aliases(queryLimits.maxAliases) });
    expect(within.status).toBe(200);
    const over = await gateway.post({ query: aliases(queryLimits.maxAliases + 1) });
    expect(over.status).toBe(400);
    expect(over.body.errors[0]).toMatchObject({
      message: expect.stringMatching(/Aliases limit of 15 exceeded, found 16/),
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
    const spread = await gateway.post({
      query: `{ ...F } fragment F on Query { ${aliases(queryLimits.maxAliases + 1).slice(1, -1)} }`,
    });
    expect(spread.status).toBe(400);
  });

  it('answers an operationName that picks no operation with 400 OPERATION_RESOLUTION_FAILURE', async () => {
    for (const [body, message] of [
      [{ query: 'query A { __typename }', operationName: 'B' }, 'Unknown operation named "B".'],
      [
        { query: 'query A { __typename } query B { __typename }' },
        'Must provide operation name if query contains multiple operations.',
      ],
    ] as const) {
      const answer = await gateway.post(body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0]).toMatchObject({
        message,
        extensions: { code: 'OPERATION_RESOLUTION_FAILURE' },
      });
    }
  });

  it('answers an operation type the schema lacks (a subscription) with 400, not a planning 500', async () => {
    const answer = await gateway.post({ query: 'subscription { __typename }' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0]).toMatchObject({
      message: 'The subscription operation is not supported by the schema.',
      extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
    });
  });
});
