import { once } from 'node:events';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { SpanKind } from '@opentelemetry/api';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestTelemetry, type TestTelemetry } from '../src/testing.js';

const require = createRequire(import.meta.url);
const personnummer = '19900101-0017';

describe('telemetry in one process: HTTP server and client, GraphQL, metrics', () => {
  let telemetry: TestTelemetry;
  let server: Server;
  let url: string;

  beforeAll(async () => {
    telemetry = await startTestTelemetry();
    // Loaded after telemetry has started, as `--import @booking/telemetry/register` has it.
    const http = require('node:http') as typeof import('node:http');
    const graphql = require('graphql') as typeof import('graphql');
    const schema = graphql.buildSchema('type Query { greeting(name: String!): String }');
    server = http.createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      if (req.url?.startsWith('/health/')) {
        res.end('{"ok":true}');
        return;
      }
      const { query, variables } = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const result = await graphql.graphql({
        schema,
        source: query,
        variableValues: variables,
        rootValue: { greeting: ({ name }: { name: string }) => `Hej ${name}` },
      });
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(result));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server?.close();
    await telemetry?.shutdown();
  });

  it('propagates the trace from an undici call to the server, whose GraphQL spans carry no values', async () => {
    telemetry.reset();
    const response = await request(`${url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query: `query Greeting($name: String!) { greeting(name: $name) again: greeting(name: "${personnummer}") }`,
        variables: { name: 'Selma' },
      }),
    });
    expect(await response.body.json()).toEqual({
      data: { greeting: 'Hej Selma', again: `Hej ${personnummer}` },
    });

    const spans = telemetry.spans();
    const client = spans.find((span) => span.kind === SpanKind.CLIENT);
    const served = spans.find((span) => span.kind === SpanKind.SERVER);
    expect(served?.name).toBe('POST /graphql');
    expect(served?.spanContext().traceId).toBe(client?.spanContext().traceId);
    expect(served?.parentSpanContext?.spanId).toBe(client?.spanContext().spanId);

    const underServer = spans.filter(
      (span) => span.parentSpanContext?.spanId === served?.spanContext().spanId,
    );
    expect(underServer.map((span) => span.name)).toEqual(
      expect.arrayContaining(['graphql.parse', 'graphql.validate', 'query Greeting']),
    );
    const execute = spans.find((span) => span.name === 'query Greeting');
    expect(execute?.attributes).toMatchObject({
      'graphql.operation.name': 'Greeting',
      'graphql.operation.type': 'query',
    });
    expect(
      String(spans.find((s) => s.name === 'graphql.parse')?.attributes['graphql.source']),
    ).toContain('greeting(name: "*")');
    const recorded = JSON.stringify(spans.map((span) => [span.name, span.attributes]));
    expect(recorded).not.toContain('Selma');
    expect(recorded).not.toContain(personnummer);
  });

  it('does not trace health probes', async () => {
    telemetry.reset();
    await (await request(`${url}/health/live`)).body.text();
    expect(telemetry.spans().filter((span) => span.kind === SpanKind.SERVER)).toEqual([]);
  });

  it('measures HTTP requests on both sides', async () => {
    const metrics = await telemetry.metrics();
    expect([...metrics.keys()]).toEqual(
      expect.arrayContaining(['http.server.request.duration', 'http.client.request.duration']),
    );
  });
});
