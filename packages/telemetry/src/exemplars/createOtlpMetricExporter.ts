import { createRequire } from 'node:module';
import { OTLPMetricExporterBase } from '@opentelemetry/exporter-metrics-otlp-http';
import {
  DataPointType,
  type PushMetricExporter,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';
import type { OtlpProtocol } from '../telemetrySettings.js';
import type { ExemplarReservoir } from './createExemplarReservoir.js';
import { addExemplarsToProtobuf, type ExemplarsByPosition } from './protobufExemplars.js';

/** What turns a collection into an OTLP request body (`@opentelemetry/otlp-transformer`'s). */
export interface MetricsSerializer {
  serializeRequest(collected: ResourceMetrics): Uint8Array | undefined;
  deserializeResponse(body: Uint8Array): unknown;
}

type ExportDelegate = ConstructorParameters<typeof OTLPMetricExporterBase>[0];

/** The public API of `@opentelemetry/otlp-exporter-base/node-http` this file uses. */
interface NodeHttpExportBase {
  convertLegacyHttpOptions(
    config: object,
    signal: 'METRICS',
    path: 'v1/metrics',
    headers: Record<string, string>,
  ): unknown;
  createOtlpHttpExportDelegate(
    options: unknown,
    serializer: MetricsSerializer,
    componentType: string,
    metricsHelper: unknown,
    meterProvider: undefined,
  ): ExportDelegate;
}

/** The public API of `@opentelemetry/otlp-transformer` this file uses. */
interface OtlpTransformer {
  JsonMetricsSerializer: MetricsSerializer;
  ProtobufMetricsSerializer: MetricsSerializer;
  MetricsExporterMetricsHelper: unknown;
}

/**
 * Each protocol as its stock exporter package is made: that package, its serializer and content
 * type. The pieces are loaded from the exporter package's own dependencies, the versions it was
 * built and tested with (they are not the platform's to choose).
 */
const protocols = {
  'http/json': {
    exporterPackage: '@opentelemetry/exporter-metrics-otlp-http',
    serializer: 'JsonMetricsSerializer',
    contentType: 'application/json',
  },
  'http/protobuf': {
    exporterPackage: '@opentelemetry/exporter-metrics-otlp-proto',
    serializer: 'ProtobufMetricsSerializer',
    contentType: 'application/x-protobuf',
  },
} as const;

function piecesOf(protocol: OtlpProtocol) {
  const { exporterPackage, serializer } = protocols[protocol];
  const fromExporter = createRequire(createRequire(import.meta.url).resolve(exporterPackage));
  const base = fromExporter('@opentelemetry/otlp-exporter-base/node-http') as NodeHttpExportBase;
  const transformer = fromExporter('@opentelemetry/otlp-transformer') as OtlpTransformer;
  return { base, transformer, serializer: transformer[serializer] };
}

/** The exemplars of a collection by the position of their points (see `ExemplarsByPosition`). */
function byPosition(collected: ResourceMetrics, reservoir: ExemplarReservoir): ExemplarsByPosition {
  const found = reservoir.collect(collected);
  const positions: ExemplarsByPosition = new Map();
  if (found.size === 0) return positions;
  collected.scopeMetrics.forEach(({ metrics }, scopeIndex) => {
    metrics.forEach((metric, metricIndex) => {
      if (metric.dataPointType !== DataPointType.HISTOGRAM) return;
      metric.dataPoints.forEach((point, pointIndex) => {
        const exemplars = found.get(point);
        if (!exemplars) return;
        const inScope = positions.get(scopeIndex) ?? new Map();
        positions.set(scopeIndex, inScope);
        const inMetric = inScope.get(metricIndex) ?? new Map();
        inScope.set(metricIndex, inMetric);
        inMetric.set(pointIndex, exemplars);
      });
    });
  });
  return positions;
}

interface JsonMetricRequest {
  resourceMetrics: {
    scopeMetrics: { metrics: { histogram?: { dataPoints: Record<string, unknown>[] } }[] }[];
  }[];
}

/** An OTLP/JSON request with the exemplars added (ids in hex, as OTLP/JSON has them). */
function addExemplarsToJson(body: Uint8Array, exemplars: ExemplarsByPosition): Uint8Array {
  if (exemplars.size === 0) return body;
  const request = JSON.parse(new TextDecoder().decode(body)) as JsonMetricRequest;
  const scopes = request.resourceMetrics[0]?.scopeMetrics ?? [];
  for (const [scopeIndex, inScope] of exemplars) {
    for (const [metricIndex, inMetric] of inScope) {
      const points = scopes[scopeIndex]?.metrics[metricIndex]?.histogram?.dataPoints ?? [];
      for (const [pointIndex, found] of inMetric) {
        const point = points[pointIndex];
        if (!point) continue;
        point.exemplars = found.map((exemplar) => ({
          timeUnixNano: (BigInt(Math.round(exemplar.timeMs)) * 1_000_000n).toString(),
          asDouble: exemplar.value,
          spanId: exemplar.spanId,
          traceId: exemplar.traceId,
        }));
      }
    }
  }
  return new TextEncoder().encode(JSON.stringify(request));
}

/**
 * The serializer of `protocol` with the reservoir's exemplars added to each histogram point: the
 * SDK's collection carries none, and the stock serializers write none.
 */
export function exemplarSerializer(
  protocol: OtlpProtocol,
  reservoir: ExemplarReservoir,
): MetricsSerializer {
  const { serializer } = piecesOf(protocol);
  const add = protocol === 'http/json' ? addExemplarsToJson : addExemplarsToProtobuf;
  return {
    serializeRequest(collected) {
      const body = serializer.serializeRequest(collected);
      return body && add(body, byPosition(collected, reservoir));
    },
    deserializeResponse: (body) => serializer.deserializeResponse(body),
  };
}

/**
 * The OTLP/HTTP metric exporter of `protocol`, as its stock package builds it (endpoint, headers,
 * timeout, compression and temporality from the standard variables; retries; a bounded queue),
 * with exemplars: only its serializer differs.
 */
export function createOtlpMetricExporter(
  protocol: OtlpProtocol,
  reservoir: ExemplarReservoir,
): PushMetricExporter {
  const { base, transformer } = piecesOf(protocol);
  const options = base.convertLegacyHttpOptions({}, 'METRICS', 'v1/metrics', {
    'Content-Type': protocols[protocol].contentType,
  });
  const delegate = base.createOtlpHttpExportDelegate(
    options,
    exemplarSerializer(protocol, reservoir),
    'otlp_http_metric_exporter',
    transformer.MetricsExporterMetricsHelper,
    undefined,
  );
  return new OTLPMetricExporterBase(delegate, {});
}
