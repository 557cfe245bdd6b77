import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { post, request } from './send.js';
import { type HttpGraph, startHttpGraph } from './startHttpGraph.js';

describe('a gateway whose INTERNAL_SECRET differs from the subgraphs’ (the real gateway and scheduling over HTTP)', () => {
  let graph: HttpGraph;
  let auth: Record<string, string>;
  beforeAll(async () => {
    graph = await startHttpGraph();
    auth = { authorization: `Bearer ${await graph.token(['availability:read'])}` };
  });
  afterAll(async () => {
    await graph?.stop();
  });

  it.each([
    ['development', {}, 'the service is unavailable; retry later'],
    ['production', { NODE_ENV: 'production' }, 'Internal server error'],
  ] as const)(
    '%s: answers 503 INTERNAL_SERVER_ERROR, not the client’s UNAUTHENTICATED, logs the subgraph once and is not ready',
    async (mode, env, message) => {
      const misconfigured = await graph.gateway({
        ...env,
        INTERNAL_SECRET: 'a-secret-the-subgraphs-do-not-know',
      });
      for (let i = 0; i < 2; i++) {
        // The SDK's Treatments document by hash: production runs only those.
        const answer = await post(
          misconfigured.url,
          {
            extensions: {
              persistedQuery: {
                version: 1,
                sha256Hash: '6b912a009ce612971e0a8351dd22b1a00887b27e64e46c5765b9678e3a30d9ee',
              },
            },
          },
          auth,
        );
        expect(answer.status).toBe(503);
        expect(answer.body.errors).toHaveLength(1);
        expect(answer.body.errors[0]).toMatchObject({
          message,
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
        if (mode === 'production') expect(answer.text).not.toContain(graph.schedulingUrl);
      }
      const refusals = misconfigured.logs.filter((line) => line.level === 'error');
      expect(refusals).toEqual([
        expect.objectContaining({
          subgraph: 'scheduling',
          msg: expect.stringMatching(/^scheduling refuses the gateway's internal secret/),
        }),
      ]);
      const readiness = await request(`${misconfigured.url}/health/ready`);
      expect(readiness.status).toBe(503);
      expect(readiness.body.checks.scheduling).toEqual({
        ok: false,
        message: "refuses the gateway's INTERNAL_SECRET",
      });
    },
  );

  it('is ready, and answers, when the secrets agree', async () => {
    expect((await request(`${graph.url}/health/ready`)).status).toBe(200);
    const answer = await post(graph.url, { query: '{ treatments { id } }' }, auth);
    expect(answer.status).toBe(200);
    expect(answer.body.data.treatments.length).toBeGreaterThan(0);
    expect(graph.logs.filter((line) => line.level === 'error')).toEqual([]);
  });
});
