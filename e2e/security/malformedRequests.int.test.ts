import { newSigningKey, signToken } from '@booking/gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { from, type Row, rows, to, tokens } from './hostileRequests.js';
import { type Answer, request } from './send.js';
import { type HttpGraph, startHttpGraph } from './startHttpGraph.js';

/**
 * The chaos probe's corpus of malformed and hostile requests, sent to a production gateway (the
 * real gateway service over the real scheduling subgraph over HTTP). Each must get a 4xx with a
 * named `extensions.code`, and no 5xx, stack trace or internal URL.
 */

describe('malformed and hostile requests to a production gateway', () => {
  let graph: HttpGraph;
  /** The production gateways: documents as text allowed (they reach every check), and enforced. */
  const gateways: Record<string, string> = {};

  beforeAll(async () => {
    graph = await startHttpGraph({ NODE_ENV: 'production' });
    gateways.enforced = graph.url;
    gateways['allow-listed-or-hash'] = (
      await graph.gateway({ TRUSTED_DOCUMENTS: 'allow-listed-or-hash' })
    ).url;
    const valid = await graph.token(['availability:read']);
    const [header, payload, signature] = valid.split('.');
    const elevated = Buffer.from(
      JSON.stringify({
        ...JSON.parse(Buffer.from(payload!, 'base64url').toString()),
        scope: 'admin',
      }),
    ).toString('base64url');
    const foreignKey = await newSigningKey('mallory');
    Object.assign(tokens, {
      expired: await graph.token(['admin'], { expiresInSeconds: -120 }),
      tampered: `${header}.${elevated}.${signature}`,
      none: `${Buffer.from('{"alg":"none"}').toString('base64url')}.${payload}.`,
      foreign: await signToken({
        scopes: ['admin'],
        privateJwk: foreignKey.privateJwk,
        issuer: 'https://idp.http-graph.test',
      }),
    });
  });
  afterAll(async () => {
    await graph?.stop();
  });

  /** Sends what a row describes (its expected status and code are the caller's to check). */
  async function send(base: string, row: Omit<Row, 'status' | 'code'>): Promise<Answer> {
    const method = row.method ?? 'POST';
    const headers: Record<string, string> = {
      ...(method !== 'GET' && { 'content-type': 'application/json' }),
      ...row.headers,
    };
    if (headers.authorization && tokens[headers.authorization]) {
      headers.authorization = `Bearer ${tokens[headers.authorization]}`;
    } else if (!headers.authorization && row.scopes !== 'none') {
      headers.authorization = `Bearer ${await graph.token(row.scopes ?? ['availability:read'])}`;
    }
    return request(`${base}${row.path ?? '/graphql'}${row.search ?? ''}`, {
      method,
      headers,
      ...(method !== 'GET' && {
        body:
          typeof row.body === 'string'
            ? row.body
            : JSON.stringify(row.body ?? { query: '{ treatments { id } }' }),
      }),
    });
  }

  /** No stack trace, no internal URL, no subgraph's answer. */
  function expectNoInsides(answer: Answer) {
    expect(answer.text).not.toContain(graph.schedulingUrl);
    expect(answer.text).not.toMatch(
      /127\.0\.0\.1|localhost|stacktrace|"response"|"debug"|\.ts:\d+|\.js:\d+/,
    );
  }

  it('holds at least 30 requests', () => {
    expect(Object.keys(rows).length).toBeGreaterThanOrEqual(30);
  });

  it.each(Object.entries(rows))(
    'allow-listed-or-hash: %s → the expected 4xx and code, nothing inside',
    async (_, row) => {
      const answer = await send(gateways['allow-listed-or-hash']!, row);
      expect(answer.status).toBe(row.status);
      expectNoInsides(answer);
      expect(answer.body.errors?.[0]?.extensions?.code).toBe(row.code);
      expect(answer.body.errors[0].message).not.toBe('Internal server error');
    },
  );

  it.each(Object.entries(rows))(
    'enforced (production’s default): %s → a 4xx with a code, nothing inside',
    async (_, row) => {
      const answer = await send(gateways.enforced!, row);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expectNoInsides(answer);
      expect(answer.body.errors?.[0]?.extensions?.code).toEqual(expect.any(String));
    },
  );

  it('still serves a well-formed request, and SDK documents by hash under enforcement, with a scalar the SDK got wrong refused as the client’s', async () => {
    const ok = await send(gateways['allow-listed-or-hash']!, {});
    expect(ok.status).toBe(200);
    expect(ok.body.data.treatments.length).toBeGreaterThan(0);
    const sdkAvailability = {
      extensions: {
        persistedQuery: {
          version: 1,
          sha256Hash: '895270c8b81ffc332dcecc43be9afb8c30eeda67937b7375a4a3fa79915252ef',
        },
      },
    };
    const bad = await send(gateways.enforced!, {
      body: {
        ...sdkAvailability,
        variables: { filter: { from: '2026-12-10T10:00:00', to }, first: 1 },
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].extensions).toEqual({
      code: 'BAD_USER_INPUT',
      field: '$filter.from',
    });
    const good = await send(gateways.enforced!, {
      body: {
        ...sdkAvailability,
        variables: { filter: { from: from.toISOString(), to }, first: 1 },
      },
    });
    expect(good.status).toBe(200);
    expect(good.body.errors).toBeUndefined();
  });
});
