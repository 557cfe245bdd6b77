import { type CollectionResult, type MetricData, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-node';
import { exemplarSerializer } from './exemplars/createOtlpMetricExporter.js';
import { shutdownTelemetry, startTelemetry } from './index.js';

export type { ReadableSpan } from '@opentelemetry/sdk-trace-node';

/** Collects metrics when asked, never on its own. */
class CollectingMetricReader extends MetricReader {
  protected override async onShutdown(): Promise<void> {}
  protected override async onForceFlush(): Promise<void> {}
}

export interface TestTelemetry {
  /** Every span ended so far. */
  spans(): ReadableSpan[];
  /** The metrics recorded so far, by name. */
  metrics(): Promise<Map<string, MetricData>>;
  /**
   * The metrics recorded so far as an OTLP/JSON export request, written as the services' OTLP
   * exporter writes it: with the exemplars of the histograms (each reported once).
   */
  otlpMetrics(): Promise<OtlpJsonMetrics>;
  /** Forgets the spans ended so far. */
  reset(): void;
  /** Stops telemetry; it may be started again. */
  shutdown(): Promise<void>;
}

/** An OTLP/JSON metrics export request, as far as tests read it. */
export interface OtlpJsonMetrics {
  resourceMetrics: {
    scopeMetrics: {
      scope: { name: string };
      metrics: {
        name: string;
        histogram?: {
          dataPoints: {
            attributes: { key: string; value: Record<string, unknown> }[];
            count: number;
            bucketCounts: number[];
            explicitBounds: number[];
            exemplars?: {
              traceId: string;
              spanId: string;
              asDouble: number;
              timeUnixNano: string;
            }[];
          }[];
        };
      }[];
    }[];
  }[];
}

/**
 * Telemetry for tests, in process: the same SDK and instrumentations as a service's, with spans
 * kept in memory and metrics collected on demand. Start it before loading what it should
 * instrument (`node:http` by `require`, graphql), and shut it down after.
 */
export async function startTestTelemetry(
  options: { graphql?: boolean } = {},
): Promise<TestTelemetry> {
  let ended: ReadableSpan[] = [];
  // A plain object: the tracer provider copies its configuration, and with it class instances.
  const keeper: SpanProcessor = {
    onStart: () => {},
    onEnd: (span) => {
      ended.push(span);
    },
    forceFlush: async () => {},
    shutdown: async () => {},
  };
  const reader = new CollectingMetricReader();
  const { exemplars } = await startTelemetry({
    serviceName: 'test',
    spanProcessors: [keeper],
    metricReaders: [reader],
    exemplars: true,
    ...options,
  });
  const json = exemplarSerializer('http/json', exemplars!);
  return {
    spans: () => [...ended],
    async metrics() {
      const { resourceMetrics }: CollectionResult = await reader.collect();
      return new Map(
        resourceMetrics.scopeMetrics.flatMap((scope) =>
          scope.metrics.map((metric) => [metric.descriptor.name, metric] as const),
        ),
      );
    },
    async otlpMetrics() {
      const { resourceMetrics }: CollectionResult = await reader.collect();
      const body = json.serializeRequest(resourceMetrics);
      return JSON.parse(new TextDecoder().decode(body)) as OtlpJsonMetrics;
    },
    reset: () => {
      ended = [];
    },
    shutdown: shutdownTelemetry,
  };
}
