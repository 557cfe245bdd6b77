import {
  type Attributes,
  type Context,
  type HrTime,
  isSpanContextValid,
  TraceFlags,
  trace,
} from '@opentelemetry/api';
import {
  type DataPoint,
  DataPointType,
  type Histogram,
  type ResourceMetrics,
} from '@opentelemetry/sdk-metrics';

/** A measurement kept as the example of its histogram bucket, with the sampled span it was in. */
export interface Exemplar {
  value: number;
  /** When it was recorded, in ms since the epoch (the clock the SDK stamps its points with). */
  timeMs: number;
  traceId: string;
  spanId: string;
}

/** Where one histogram offers its measurements. */
export interface ExemplarStream {
  offer(value: number, attributes: Attributes, context: Context): void;
}

/** A meter's identity, as the SDK reports it with each collection. */
export interface MeterScope {
  name: string;
  version?: string | undefined;
  schemaUrl?: string | undefined;
}

export interface ExemplarReservoir {
  /** The stream of histogram `name` of `scope`, bucketed by `boundaries` (the same each call). */
  histogram(scope: MeterScope, name: string, boundaries: readonly number[]): ExemplarStream;
  /**
   * The exemplars of each histogram point of one collection, by point; every exemplar recorded up
   * to the collection's end is then forgotten, so each one is reported with one collection at most.
   */
  collect(collected: ResourceMetrics): Map<DataPoint<Histogram>, Exemplar[]>;
}

const scopeKey = (scope: MeterScope, name: string) =>
  JSON.stringify([scope.name, scope.version ?? '', scope.schemaUrl ?? '', name.toLowerCase()]);

/** The same attributes in any order give the same key (as the SDK's own streams do). */
const attributesKey = (attributes: Attributes) =>
  JSON.stringify(Object.entries(attributes).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/** The bucket of `value`: upper bounds are inclusive, the last bucket is unbounded. */
function bucketOf(boundaries: readonly number[], value: number): number {
  let low = 0;
  let high = boundaries.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (boundaries[middle]! < value) low = middle + 1;
    else high = middle;
  }
  return low;
}

const hrTimeToMs = ([seconds, nanos]: HrTime) => seconds * 1000 + nanos / 1e6;

/**
 * Exemplars for histograms, as the OpenTelemetry specification describes them and the SDK (2.x)
 * does not yet record: a measurement is kept only when it was made inside a sampled span (the
 * trace-based filter), and each histogram series keeps one per bucket, the latest (the
 * aligned-histogram-bucket reservoir). Measurements outside a sampled span cost one check.
 */
export function createExemplarReservoir(): ExemplarReservoir {
  /** Per histogram: its buckets, and per series (attribute set) one cell per bucket. */
  const histograms = new Map<
    string,
    { boundaries: readonly number[]; series: Map<string, (Exemplar | undefined)[]> }
  >();

  /** The exemplars of `cells` recorded within `point`'s window, one per bucket of the point's. */
  function exemplarsOf(point: DataPoint<Histogram>, cells: (Exemplar | undefined)[]): Exemplar[] {
    const { boundaries, counts } = point.value.buckets;
    const startMs = hrTimeToMs(point.startTime);
    const endMs = hrTimeToMs(point.endTime);
    const chosen: (Exemplar | undefined)[] = [];
    for (const cell of cells) {
      if (!cell || cell.timeMs < startMs || cell.timeMs > endMs) continue;
      const bucket = bucketOf(boundaries, cell.value);
      // A bucket the point counts nothing in has no example: the measurement came after the
      // collection (in its millisecond), or a view gave the point other buckets.
      if (!((counts[bucket] ?? 0) > 0)) continue;
      const kept = chosen[bucket];
      if (!kept || kept.timeMs <= cell.timeMs) chosen[bucket] = cell;
    }
    return chosen.filter((exemplar) => exemplar !== undefined);
  }

  /** Forgets every exemplar recorded up to `untilMs`. */
  function forget(untilMs: number) {
    for (const { series } of histograms.values()) {
      for (const [key, cells] of series) {
        cells.forEach((cell, bucket) => {
          if (cell && cell.timeMs <= untilMs) cells[bucket] = undefined;
        });
        if (cells.every((cell) => cell === undefined)) series.delete(key);
      }
    }
  }

  return {
    histogram(scope, name, boundaries) {
      const key = scopeKey(scope, name);
      let histogram = histograms.get(key);
      if (!histogram) {
        histogram = { boundaries: [...boundaries], series: new Map() };
        histograms.set(key, histogram);
      }
      const { series } = histogram;
      const bucketBounds = histogram.boundaries;
      return {
        offer(value, attributes, context) {
          const spanContext = trace.getSpanContext(context);
          if (!spanContext || !isSpanContextValid(spanContext)) return;
          if ((spanContext.traceFlags & TraceFlags.SAMPLED) === 0) return;
          // What the SDK's histogram drops is no example of anything.
          if (!(value >= 0) || !Number.isFinite(value)) return;
          const seriesKey = attributesKey(attributes);
          let cells = series.get(seriesKey);
          if (!cells) {
            cells = new Array(bucketBounds.length + 1);
            series.set(seriesKey, cells);
          }
          cells[bucketOf(bucketBounds, value)] = {
            value,
            timeMs: Date.now(),
            traceId: spanContext.traceId,
            spanId: spanContext.spanId,
          };
        },
      };
    },

    collect(collected) {
      const found = new Map<DataPoint<Histogram>, Exemplar[]>();
      let untilMs = Number.NEGATIVE_INFINITY;
      for (const { scope, metrics } of collected.scopeMetrics) {
        for (const metric of metrics) {
          if (metric.dataPointType !== DataPointType.HISTOGRAM) continue;
          const series = histograms.get(scopeKey(scope, metric.descriptor.name))?.series;
          for (const point of metric.dataPoints) {
            untilMs = Math.max(untilMs, hrTimeToMs(point.endTime));
            const cells = series?.get(attributesKey(point.attributes));
            const exemplars = cells ? exemplarsOf(point, cells) : [];
            if (exemplars.length > 0) found.set(point, exemplars);
          }
        }
      }
      // Also what no point took (a series the SDK folded into its overflow series, say): memory
      // stays bounded by what one collection interval records.
      forget(untilMs);
      return found;
    },
  };
}
