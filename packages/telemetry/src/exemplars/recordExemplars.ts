import {
  context,
  type Histogram,
  type Meter,
  type MeterOptions,
  type MeterProvider,
} from '@opentelemetry/api';
import type { ExemplarReservoir, MeterScope } from './createExemplarReservoir.js';

/** The SDK's buckets for a histogram without advice (its default explicit-bucket aggregation). */
const sdkDefaultBoundaries = [
  0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000,
];

/**
 * `provider` with every histogram's measurements also offered to `reservoir`, beside the SDK's
 * own aggregation: the platform's latency histograms (GraphQL operations, HTTP in and out,
 * provider calls, clinic-change and webhook lags) get exemplars without their code knowing.
 * Every other instrument is the provider's own.
 */
export function recordExemplars(
  provider: MeterProvider,
  reservoir: ExemplarReservoir,
): MeterProvider {
  const meters = new Map<string, Meter>();
  return {
    getMeter(name: string, version = '', options: MeterOptions = {}): Meter {
      const key = JSON.stringify([name, version, options.schemaUrl ?? '']);
      let meter = meters.get(key);
      if (!meter) {
        meter = withExemplars(provider.getMeter(name, version, options), reservoir, {
          name,
          version,
          schemaUrl: options.schemaUrl,
        });
        meters.set(key, meter);
      }
      return meter;
    },
  };
}

function withExemplars(meter: Meter, reservoir: ExemplarReservoir, scope: MeterScope): Meter {
  return {
    createHistogram(name, options) {
      const histogram = meter.createHistogram(name, options);
      const boundaries = options?.advice?.explicitBucketBoundaries ?? sdkDefaultBoundaries;
      const stream = reservoir.histogram(scope, name, boundaries);
      const recording: Histogram = {
        record(value, attributes = {}, recordedIn = context.active()) {
          histogram.record(value, attributes, recordedIn);
          stream.offer(value, attributes, recordedIn);
        },
      };
      return recording;
    },
    createGauge: (name, options) => meter.createGauge(name, options),
    createCounter: (name, options) => meter.createCounter(name, options),
    createUpDownCounter: (name, options) => meter.createUpDownCounter(name, options),
    createObservableGauge: (name, options) => meter.createObservableGauge(name, options),
    createObservableCounter: (name, options) => meter.createObservableCounter(name, options),
    createObservableUpDownCounter: (name, options) =>
      meter.createObservableUpDownCounter(name, options),
    addBatchObservableCallback: (callback, observables) =>
      meter.addBatchObservableCallback(callback, observables),
    removeBatchObservableCallback: (callback, observables) =>
      meter.removeBatchObservableCallback(callback, observables),
  };
}
