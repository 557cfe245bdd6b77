import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { trace } from '@opentelemetry/api';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createExemplarReservoir } from '../src/exemplars/createExemplarReservoir.js';
import { createOtlpMetricExporter } from '../src/exemplars/createOtlpMetricExporter.js';
import { recordExemplars } from '../src/exemplars/recordExemplars.js';
import type { OtlpProtocol } from '../src/telemetrySettings.js';
import { startTestTelemetry, type TestTelemetry } from '../src/testing.js';

/**
 * A protobuf message's fields, read without a schema: number, wire type and value (a varint, or
 * the bytes of a fixed-width or length-delimited field). Written apart from the code under test.
 */
function fieldsOf(bytes: Uint8Array) {
  const fields: { number: number; wireType: number; value: Uint8Array | number }[] = [];
  let at = 0;
  const varint = () => {
    let value = 0;
    for (let scale = 1; ; scale *= 128) {
      const byte = bytes[at++]!;
      value += (byte & 0x7f) * scale;
      if (byte < 0x80) return value;
    }
  };
  while (at < bytes.length) {
    const key = varint();
    const wireType = key & 7;
    const width = wireType === 0 ? -1 : wireType === 1 ? 8 : wireType === 5 ? 4 : varint();
    if (width === -1) {
      fields.push({ number: key >>> 3, wireType, value: varint() });
    } else {
      fields.push({ number: key >>> 3, wireType, value: bytes.subarray(at, at + width) });
      at += width;
    }
  }
  return fields;
}
const field = (bytes: Uint8Array, number: number) =>
  fieldsOf(bytes)
    .filter((f) => f.number === number)
    .map((f) => f.value as Uint8Array);

interface ReceivedExemplar {
  traceId: string;
  spanId: string;
  value: number;
}

/** The exemplars of histogram `name`'s points in one OTLP/protobuf export request. */
function protobufExemplars(request: Uint8Array, name: string): ReceivedExemplar[] {
  const hex = (bytes: Uint8Array | undefined) => Buffer.from(bytes ?? []).toString('hex');
  return field(request, 1)
    .flatMap((resource) => field(resource, 2))
    .flatMap((scope) => field(scope, 2))
    .filter((metric) => new TextDecoder().decode(field(metric, 1)[0]) === name)
    .flatMap((metric) => field(metric, 9))
    .flatMap((histogram) => field(histogram, 1))
    .flatMap((point) => field(point, 8))
    .map((exemplar) => ({
      traceId: hex(field(exemplar, 5)[0]),
      spanId: hex(field(exemplar, 4)[0]),
      value: Buffer.from(field(exemplar, 3)[0]!).readDoubleLE(),
    }));
}

/** The same from an OTLP/JSON request. */
function jsonExemplars(request: Uint8Array, name: string): ReceivedExemplar[] {
  // biome-ignore lint/suspicious/noExplicitAny: the test walks OTLP/JSON by path
  const body = JSON.parse(new TextDecoder().decode(request)) as any;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  return body.resourceMetrics.flatMap((resource: any) =>
    // biome-ignore lint/suspicious/noExplicitAny: as above
    resource.scopeMetrics.flatMap((scope: any) =>
      scope.metrics
        // biome-ignore lint/suspicious/noExplicitAny: as above
        .filter((metric: any) => metric.name === name)
        // biome-ignore lint/suspicious/noExplicitAny: as above
        .flatMap((metric: any) => metric.histogram.dataPoints)
        // biome-ignore lint/suspicious/noExplicitAny: as above
        .flatMap((point: any) => point.exemplars ?? [])
        // biome-ignore lint/suspicious/noExplicitAny: as above
        .map((exemplar: any) => ({
          traceId: exemplar.traceId,
          spanId: exemplar.spanId,
          value: exemplar.asDouble,
        })),
    ),
  );
}

describe('the OTLP/HTTP metric exporter with exemplars', () => {
  let telemetry: TestTelemetry;
  let server: Server;
  const received: { contentType: string; body: Uint8Array }[] = [];

  beforeAll(async () => {
    // Spans come from the test telemetry; the metrics of each test go through their own exporter.
    telemetry = await startTestTelemetry();
    server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      received.push({
        contentType: String(req.headers['content-type']),
        body: new Uint8Array(Buffer.concat(chunks)),
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/metrics`;
  });
  afterAll(async () => {
    delete process.env.OTEL_EXPORTER_OTLP_METRICS_ENDPOINT;
    server?.close();
    await telemetry?.shutdown();
  });

  it.each([
    ['http/protobuf', 'application/x-protobuf', protobufExemplars],
    ['http/json', 'application/json', jsonExemplars],
  ] as const)(
    'sends %s with the exemplar of the span a measurement was made in',
    async (protocol: OtlpProtocol, contentType, exemplarsIn) => {
      received.length = 0;
      const reservoir = createExemplarReservoir();
      const reader = new PeriodicExportingMetricReader({
        exporter: createOtlpMetricExporter(protocol, reservoir),
        exportIntervalMillis: 60_000,
      });
      const provider = new MeterProvider({ readers: [reader] });
      const meter = recordExemplars(provider, reservoir).getMeter('exporter-test');
      const duration = meter.createHistogram('test.call.duration', {
        unit: 's',
        advice: { explicitBucketBoundaries: [0.1, 1] },
      });
      meter.createCounter('test.calls').add(1);
      duration.record(0.02, { outcome: 'OK' });
      const span = trace.getTracer('exporter-test').startActiveSpan('call', (span) => {
        duration.record(0.4, { outcome: 'OK' });
        duration.record(0.9, { outcome: 'TIMEOUT' });
        span.end();
        return span;
      });
      // Its last export, then it stops.
      await provider.shutdown();

      expect(received.map((request) => request.contentType)).toEqual([contentType]);
      const { traceId, spanId } = span.spanContext();
      expect(exemplarsIn(received[0]!.body, 'test.call.duration')).toEqual(
        expect.arrayContaining([
          { traceId, spanId, value: 0.4 },
          { traceId, spanId, value: 0.9 },
        ]),
      );
      expect(exemplarsIn(received[0]!.body, 'test.call.duration')).toHaveLength(2);
    },
  );
});
