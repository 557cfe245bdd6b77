import { Writable } from 'node:stream';
import { ApolloServer } from '@apollo/server';
import { startTestTelemetry, type TestTelemetry } from '@booking/telemetry/testing';
import { trace } from '@opentelemetry/api';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/createLogger.js';
import { operationMetricsPlugin } from '../src/operationMetricsPlugin.js';

describe('server-kit with telemetry running', () => {
  let telemetry: TestTelemetry;
  beforeAll(async () => {
    telemetry = await startTestTelemetry({ graphql: false });
  });
  afterAll(() => telemetry?.shutdown());

  it('writes the trace_id and span_id of the active span into a log line, and none outside a span', () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ service: 'test', destination });
    const ids = trace.getTracer('test').startActiveSpan('work', (span) => {
      logger.info('inside');
      span.end();
      return span.spanContext();
    });
    logger.info('outside');
    const [inside, outside] = lines.map((line) => JSON.parse(line));
    expect(inside).toMatchObject({ msg: 'inside', trace_id: ids.traceId, span_id: ids.spanId });
    expect(outside).not.toHaveProperty('trace_id');
  });

  it('measures each GraphQL operation by name, type and outcome', async () => {
    const server = new ApolloServer({
      typeDefs: 'type Query { ok: Boolean, fails: Boolean }',
      resolvers: {
        Query: {
          ok: () => true,
          fails: () => {
            throw new Error('no');
          },
        },
      },
      plugins: [operationMetricsPlugin()],
    });
    await server.executeOperation({ query: 'query Fine { ok }' });
    await server.executeOperation({ query: 'query Broken { fails }' });
    await server.executeOperation({ query: 'query Invalid { missing }' });
    const metric = (await telemetry.metrics()).get(
      'booking.graphql.operation.duration',
    ) as HistogramMetricData;
    const series = metric.dataPoints.map((point) => ({
      ...point.attributes,
      count: point.value.count,
    }));
    expect(series).toEqual(
      expect.arrayContaining([
        {
          'graphql.operation.name': 'Fine',
          'graphql.operation.type': 'query',
          'booking.outcome': 'OK',
          count: 1,
        },
        {
          'graphql.operation.name': 'Broken',
          'graphql.operation.type': 'query',
          'booking.outcome': 'INTERNAL_SERVER_ERROR',
          count: 1,
        },
        {
          'graphql.operation.name': '',
          'graphql.operation.type': 'unknown',
          'booking.outcome': 'GRAPHQL_VALIDATION_FAILED',
          count: 1,
        },
      ]),
    );
  });
});
