import { IncomingMessage } from 'node:http';
import { context, metrics, propagation, trace } from '@opentelemetry/api';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtobufMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { type Instrumentation, registerInstrumentations } from '@opentelemetry/instrumentation';
import { GraphQLInstrumentation } from '@opentelemetry/instrumentation-graphql';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { UndiciInstrumentation } from '@opentelemetry/instrumentation-undici';
import {
  defaultResource,
  detectResources,
  envDetector,
  hostDetector,
  processDetector,
  resourceFromAttributes,
} from '@opentelemetry/resources';
import {
  ConsoleMetricExporter,
  MeterProvider,
  type MetricReader,
  PeriodicExportingMetricReader,
  type PushMetricExporter,
} from '@opentelemetry/sdk-metrics';
import {
  BatchSpanProcessor,
  ConsoleSpanExporter,
  NodeTracerProvider,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';
import {
  createExemplarReservoir,
  type ExemplarReservoir,
} from './exemplars/createExemplarReservoir.js';
import { createOtlpMetricExporter } from './exemplars/createOtlpMetricExporter.js';
import { recordExemplars } from './exemplars/recordExemplars.js';
import { type TelemetrySettings, telemetrySettings } from './telemetrySettings.js';

export interface TelemetryOptions {
  /** `service.name` when `OTEL_SERVICE_NAME` (or `OTEL_RESOURCE_ATTRIBUTES`) does not name it. */
  serviceName?: string;
  /**
   * GraphQL spans (parse, validate, execute, resolvers; never variable values). Off in a gateway,
   * whose query planner traces itself. Default: true.
   */
  graphql?: boolean;
  /** Where spans go. Default: the exporter the environment configures. */
  spanProcessors?: SpanProcessor[];
  /** Where metrics go. Default: the exporter the environment configures. */
  metricReaders?: MetricReader[];
  /**
   * With `metricReaders`: whether histograms keep exemplars for them (`Telemetry.exemplars`).
   * Default: false. Without, they keep them when metrics go out over OTLP, whose exporter here
   * writes them (the console's would not).
   */
  exemplars?: boolean;
  /** The configuration. Default: read from `process.env`. */
  settings?: TelemetrySettings;
}

export interface Telemetry {
  tracerProvider: NodeTracerProvider;
  meterProvider: MeterProvider;
  /** The histograms' exemplars, when kept (see `TelemetryOptions.exemplars`). */
  exemplars: ExemplarReservoir | null;
  /** Exports what is buffered, then stops the providers and the instrumentations. */
  shutdown(): Promise<void>;
}

/** Spans go through a batch (OTEL_BSP_* variables) to OTLP/HTTP or the console. */
function spanProcessorsFor({ traces }: TelemetrySettings): SpanProcessor[] {
  if (traces.exporter === 'console') return [new BatchSpanProcessor(new ConsoleSpanExporter())];
  if (traces.exporter !== 'otlp') return [];
  const exporter =
    traces.protocol === 'http/json' ? new JsonTraceExporter() : new ProtobufTraceExporter();
  return [new BatchSpanProcessor(exporter)];
}

/**
 * The OTLP metric exporter that writes the histograms' exemplars. It is built from the stock
 * exporter package's own pieces: should a new version of them not fit, metrics still go out, as
 * the stock exporter sends them (without exemplars), and the process says so once.
 */
function otlpMetricExporter(
  protocol: TelemetrySettings['metrics']['protocol'],
  exemplars: ExemplarReservoir,
): PushMetricExporter {
  try {
    return createOtlpMetricExporter(protocol, exemplars);
  } catch (error) {
    process.emitWarning(
      `metrics go out without exemplars: ${(error as Error).message}`,
      'TelemetryWarning',
    );
    return protocol === 'http/json' ? new JsonMetricExporter() : new ProtobufMetricExporter();
  }
}

/** Metrics go out periodically to the console, or to OTLP/HTTP with the histograms' exemplars. */
function metricReadersFor(
  { metrics }: TelemetrySettings,
  exemplars: ExemplarReservoir | null,
): MetricReader[] {
  if (!metrics.exporter) return [];
  const exporter =
    metrics.exporter === 'otlp' && exemplars
      ? otlpMetricExporter(metrics.protocol, exemplars)
      : new ConsoleMetricExporter();
  return [
    new PeriodicExportingMetricReader({
      exporter,
      exportIntervalMillis: metrics.intervalMs,
      exportTimeoutMillis: Math.min(30_000, metrics.intervalMs),
    }),
  ];
}

/** Query parameters that may carry a GraphQL document or its variables (GraphQL over GET). */
const graphqlQueryParameters = ['query', 'variables', 'extensions'];

/**
 * Starts the OpenTelemetry SDK for this process and registers it globally: W3C trace context,
 * spans of incoming and outgoing HTTP (`node:http` and undici) and of GraphQL, and metrics. Call
 * it before the instrumented modules are loaded (the `register` entry does).
 */
export function createTelemetry(options: TelemetryOptions = {}): Telemetry {
  const settings = options.settings ?? telemetrySettings();
  const resource = defaultResource()
    .merge(
      options.serviceName ? resourceFromAttributes({ 'service.name': options.serviceName }) : null,
    )
    .merge(detectResources({ detectors: [envDetector, hostDetector, processDetector] }));
  const tracerProvider = new NodeTracerProvider({
    resource,
    spanProcessors: options.spanProcessors ?? spanProcessorsFor(settings),
  });
  // The async-hooks context manager and the W3C trace context and baggage propagators.
  tracerProvider.register();
  const keepExemplars = options.metricReaders
    ? (options.exemplars ?? false)
    : settings.metrics.exporter === 'otlp';
  const exemplars = keepExemplars ? createExemplarReservoir() : null;
  const meterProvider = new MeterProvider({
    resource,
    readers: options.metricReaders ?? metricReadersFor(settings, exemplars),
  });
  // The services' meters and the instrumentations' record through it: their histograms offer
  // each measurement to the exemplar reservoir too.
  const meters = exemplars ? recordExemplars(meterProvider, exemplars) : meterProvider;
  metrics.setGlobalMeterProvider(meters);

  const instrumentations: Instrumentation[] = [
    new HttpInstrumentation({
      // Health probes every few seconds would bury the requests worth reading.
      ignoreIncomingRequestHook: (request) => request.url?.startsWith('/health/') === true,
      redactedQueryParamsServer: graphqlQueryParameters,
      // `POST /graphql` rather than `POST`: the path, without the query string.
      requestHook: (span, request) => {
        if (request instanceof IncomingMessage) {
          span.updateName(`${request.method} ${request.url?.split('?')[0]}`);
        }
      },
    }),
    new UndiciInstrumentation(),
  ];
  if (options.graphql ?? true) {
    instrumentations.push(
      new GraphQLInstrumentation({
        // Documents are recorded with every literal replaced by `*`, and variables never.
        allowValues: false,
        ignoreTrivialResolveSpans: true,
        // Root fields only (`reserveSlot`, `contractSlots`): one span per slot would drown a trace.
        depth: 1,
      }),
    );
  }
  const unregister = registerInstrumentations({
    instrumentations,
    tracerProvider,
    meterProvider: meters,
  });

  return {
    tracerProvider,
    meterProvider,
    exemplars,
    async shutdown() {
      unregister();
      await Promise.all([tracerProvider.shutdown(), meterProvider.shutdown()]);
      // Unregistered too, so that telemetry can be started again in this process (tests).
      for (const api of [trace, metrics, context, propagation]) api.disable();
    },
  };
}
