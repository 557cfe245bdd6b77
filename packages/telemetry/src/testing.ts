import { type CollectionResult, type MetricData, MetricReader } from '@opentelemetry/sdk-metrics';
import type { ReadableSpan, SpanProcessor } from '@opentelemetry/sdk-trace-node';
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
  /** Forgets the spans ended so far. */
  reset(): void;
  /** Stops telemetry; it may be started again. */
  shutdown(): Promise<void>;
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
  await startTelemetry({
    serviceName: 'test',
    spanProcessors: [keeper],
    metricReaders: [reader],
    ...options,
  });
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
    reset: () => {
      ended = [];
    },
    shutdown: shutdownTelemetry,
  };
}
