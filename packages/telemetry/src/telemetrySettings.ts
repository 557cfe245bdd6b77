/** Where one signal goes: an OTLP/HTTP exporter, the console, or nowhere. */
export type SignalExporter = 'otlp' | 'console' | null;

/** The OTLP/HTTP encodings: `http/protobuf` (the specification's default) and `http/json`. */
export type OtlpProtocol = 'http/protobuf' | 'http/json';

export interface TelemetrySettings {
  traces: { exporter: SignalExporter; protocol: OtlpProtocol };
  metrics: { exporter: SignalExporter; protocol: OtlpProtocol; intervalMs: number };
  /** True when either signal is exported. */
  enabled: boolean;
}

type Env = Readonly<Record<string, string | undefined>>;

const protocols: readonly string[] = ['http/protobuf', 'http/json'];

function exporterOf(env: Env, signal: 'TRACES' | 'METRICS'): SignalExporter {
  const named = (env[`OTEL_${signal}_EXPORTER`] ?? '')
    .split(',')
    .map((name) => name.trim().toLowerCase())
    .filter(Boolean);
  if (named.includes('none')) return null;
  if (named.includes('console')) return 'console';
  // The specification's default exporter is OTLP to localhost; here it takes an endpoint (or an
  // explicit OTEL_<SIGNAL>_EXPORTER=otlp), so that a service started without one sends nothing.
  const endpoint = env[`OTEL_EXPORTER_OTLP_${signal}_ENDPOINT`] || env.OTEL_EXPORTER_OTLP_ENDPOINT;
  return endpoint || named.includes('otlp') ? 'otlp' : null;
}

function protocolOf(env: Env, signal: 'TRACES' | 'METRICS'): OtlpProtocol {
  const protocol = (
    env[`OTEL_EXPORTER_OTLP_${signal}_PROTOCOL`] ||
    env.OTEL_EXPORTER_OTLP_PROTOCOL ||
    'http/protobuf'
  ).trim();
  if (!protocols.includes(protocol)) {
    throw new Error(
      `OTEL_EXPORTER_OTLP_PROTOCOL=${protocol} is not supported: use http/protobuf or http/json`,
    );
  }
  return protocol as OtlpProtocol;
}

/**
 * Reads the standard OpenTelemetry variables that decide whether and where this process exports
 * (`OTEL_SDK_DISABLED`, `OTEL_{TRACES,METRICS}_EXPORTER`, `OTEL_EXPORTER_OTLP[_{TRACES,METRICS}]_ENDPOINT`
 * and `_PROTOCOL`, `OTEL_METRIC_EXPORT_INTERVAL`). The SDK reads the others itself (headers,
 * timeouts, sampler, batching, resource). Cheap: it loads nothing.
 */
export function telemetrySettings(env: Env = process.env): TelemetrySettings {
  const disabled = env.OTEL_SDK_DISABLED?.trim().toLowerCase() === 'true';
  const traces = disabled ? null : exporterOf(env, 'TRACES');
  const metrics = disabled ? null : exporterOf(env, 'METRICS');
  const interval = Number(env.OTEL_METRIC_EXPORT_INTERVAL);
  return {
    traces: {
      exporter: traces,
      protocol: traces === 'otlp' ? protocolOf(env, 'TRACES') : 'http/protobuf',
    },
    metrics: {
      exporter: metrics,
      protocol: metrics === 'otlp' ? protocolOf(env, 'METRICS') : 'http/protobuf',
      intervalMs: Number.isFinite(interval) && interval > 0 ? interval : 60_000,
    },
    enabled: traces !== null || metrics !== null,
  };
}
