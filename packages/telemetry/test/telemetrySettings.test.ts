import { describe, expect, it } from 'vitest';
import { telemetrySettings } from '../src/telemetrySettings.js';

describe('telemetrySettings', () => {
  it('is off when no exporter variable is set', () => {
    expect(telemetrySettings({}).enabled).toBe(false);
    expect(telemetrySettings({ OTEL_SERVICE_NAME: 'gateway' }).enabled).toBe(false);
  });

  it('exports both signals over OTLP/HTTP with protobuf once an endpoint is set', () => {
    const settings = telemetrySettings({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' });
    expect(settings).toMatchObject({
      enabled: true,
      traces: { exporter: 'otlp', protocol: 'http/protobuf' },
      metrics: { exporter: 'otlp', protocol: 'http/protobuf', intervalMs: 60_000 },
    });
  });

  it('honours the per-signal variables, the JSON protocol and the export interval', () => {
    const settings = telemetrySettings({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces',
      OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
      OTEL_METRICS_EXPORTER: 'console',
      OTEL_METRIC_EXPORT_INTERVAL: '5000',
    });
    expect(settings.traces).toEqual({ exporter: 'otlp', protocol: 'http/json' });
    expect(settings.metrics).toMatchObject({ exporter: 'console', intervalMs: 5000 });
  });

  it('turns a signal off with none, and everything off with OTEL_SDK_DISABLED', () => {
    const endpoint = { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' };
    const noMetrics = telemetrySettings({ ...endpoint, OTEL_METRICS_EXPORTER: 'none' });
    expect([noMetrics.traces.exporter, noMetrics.metrics.exporter]).toEqual(['otlp', null]);
    expect(telemetrySettings({ ...endpoint, OTEL_SDK_DISABLED: 'true' }).enabled).toBe(false);
  });

  it('refuses gRPC, which this platform does not ship an exporter for', () => {
    expect(() =>
      telemetrySettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4317',
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
      }),
    ).toThrow(/http\/protobuf or http\/json/);
  });
});
