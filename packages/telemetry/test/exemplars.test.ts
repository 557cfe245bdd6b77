import { context, metrics, type Span, TraceFlags, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type OtlpJsonMetrics, startTestTelemetry, type TestTelemetry } from '../src/testing.js';

type Point = NonNullable<
  OtlpJsonMetrics['resourceMetrics'][number]['scopeMetrics'][number]['metrics'][number]['histogram']
>['dataPoints'][number];

/** The points of histogram `name`, as the OTLP exporter writes them. */
async function pointsOf(telemetry: TestTelemetry, name: string): Promise<Point[]> {
  const { resourceMetrics } = await telemetry.otlpMetrics();
  return resourceMetrics
    .flatMap((resource) => resource.scopeMetrics)
    .flatMap((scope) => scope.metrics)
    .filter((metric) => metric.name === name)
    .flatMap((metric) => metric.histogram?.dataPoints ?? []);
}

const outcomeOf = (point: Point) =>
  point.attributes.find((attribute) => attribute.key === 'outcome')?.value.stringValue;

describe('exemplars of histograms, as the OTLP exporter writes them', () => {
  let telemetry: TestTelemetry;
  const tracer = () => trace.getTracer('exemplars-test');
  // One histogram per test, so that no test sees another's measurements.
  let histogramName: string;
  let histogram: ReturnType<ReturnType<typeof metrics.getMeter>['createHistogram']>;
  let n = 0;

  beforeAll(async () => {
    telemetry = await startTestTelemetry();
  });
  afterAll(async () => {
    await telemetry?.shutdown();
  });
  beforeEach(() => {
    n += 1;
    histogramName = `test.duration.${n}`;
    histogram = metrics.getMeter('exemplars-test').createHistogram(histogramName, {
      unit: 's',
      advice: { explicitBucketBoundaries: [0.1, 1, 10] },
    });
  });

  /** Records `seconds` inside a new sampled span; answers that span. */
  const recordInSpan = (seconds: number, outcome = 'OK'): Span =>
    tracer().startActiveSpan('work', (span) => {
      histogram.record(seconds, { outcome });
      span.end();
      return span;
    });

  it('carries the trace and span of the sampled span a measurement was recorded in', async () => {
    const span = recordInSpan(0.5);
    const [point] = await pointsOf(telemetry, histogramName);
    expect(point?.count).toBe(1);
    expect(point?.exemplars).toEqual([
      {
        traceId: span.spanContext().traceId,
        spanId: span.spanContext().spanId,
        asDouble: 0.5,
        timeUnixNano: expect.stringMatching(/^\d{19}$/),
      },
    ]);
  });

  it('keeps none of a measurement made outside any span, or inside an unsampled one', async () => {
    histogram.record(0.5, { outcome: 'OK' });
    const unsampled = trace.setSpanContext(context.active(), {
      traceId: 'a'.repeat(32),
      spanId: 'b'.repeat(16),
      traceFlags: TraceFlags.NONE,
    });
    context.with(unsampled, () => histogram.record(2, { outcome: 'OK' }));
    const [point] = await pointsOf(telemetry, histogramName);
    expect(point?.count).toBe(2);
    expect(point?.exemplars).toBeUndefined();
  });

  it('keeps one per bucket, the latest, each on the point of its own attributes', async () => {
    recordInSpan(0.05);
    const latestSmall = recordInSpan(0.07);
    const large = recordInSpan(5);
    const failed = recordInSpan(0.5, 'ERROR');
    const points = await pointsOf(telemetry, histogramName);
    const ok = points.find((point) => outcomeOf(point) === 'OK');
    const error = points.find((point) => outcomeOf(point) === 'ERROR');
    expect(ok?.exemplars?.map((exemplar) => [exemplar.asDouble, exemplar.spanId])).toEqual([
      [0.07, latestSmall.spanContext().spanId],
      [5, large.spanContext().spanId],
    ]);
    expect(error?.exemplars?.map((exemplar) => exemplar.spanId)).toEqual([
      failed.spanContext().spanId,
    ]);
  });

  it('reports each exemplar with one collection only', async () => {
    recordInSpan(0.5);
    expect((await pointsOf(telemetry, histogramName))[0]?.exemplars).toHaveLength(1);
    const [again] = await pointsOf(telemetry, histogramName);
    expect(again?.count).toBe(1);
    expect(again?.exemplars).toBeUndefined();
  });

  it('records through the context a measurement is given, not only the active one', async () => {
    const span = tracer().startSpan('elsewhere');
    histogram.record(3, { outcome: 'OK' }, trace.setSpan(context.active(), span));
    span.end();
    const [point] = await pointsOf(telemetry, histogramName);
    expect(point?.exemplars?.map((exemplar) => exemplar.spanId)).toEqual([
      span.spanContext().spanId,
    ]);
  });
});
