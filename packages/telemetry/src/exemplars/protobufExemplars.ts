import type { Exemplar } from './createExemplarReservoir.js';

/**
 * Exemplars by histogram point, positionally: scope index → metric index → point index, the
 * order in which the SDK's collection lists them and the serializers write them.
 */
export type ExemplarsByPosition = Map<number, Map<number, Map<number, Exemplar[]>>>;

/** Protobuf wire types. */
const varint = 0;
const fixed64 = 1;
const lengthDelimited = 2;
const fixed32 = 5;

/** Field numbers of `opentelemetry/proto/metrics/v1/metrics.proto` (and its export request). */
const field = {
  requestResourceMetrics: 1,
  resourceScopeMetrics: 2,
  scopeMetrics: 2,
  metricHistogram: 9,
  histogramDataPoints: 1,
  pointExemplars: 8,
  exemplarTime: 2,
  exemplarAsDouble: 3,
  exemplarSpanId: 4,
  exemplarTraceId: 5,
} as const;

function readVarint(bytes: Uint8Array, at: number): [value: number, next: number] {
  let value = 0;
  let scale = 1;
  for (let pos = at; pos < bytes.length; pos += 1) {
    const byte = bytes[pos]!;
    value += (byte & 0x7f) * scale;
    if (byte < 0x80) return [value, pos + 1];
    scale *= 128;
  }
  throw new Error('truncated protobuf varint');
}

function varintBytes(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  while (rest >= 0x80) {
    out.push((rest % 0x80) | 0x80);
    rest = Math.floor(rest / 0x80);
  }
  out.push(rest);
  return out;
}

const tag = (number: number, wireType: number) => varintBytes(number * 8 + wireType);

function lengthDelimitedField(number: number, payload: Uint8Array): Uint8Array {
  const head = [...tag(number, lengthDelimited), ...varintBytes(payload.length)];
  const out = new Uint8Array(head.length + payload.length);
  out.set(head);
  out.set(payload, head.length);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/**
 * `message` with some of its length-delimited fields replaced: `edit` gets each one's number,
 * its index among the fields of that number, and its payload, and answers the new payload or
 * null to keep it. Every other byte is copied as it is.
 */
function rewrite(
  message: Uint8Array,
  edit: (number: number, index: number, payload: Uint8Array) => Uint8Array | null,
): Uint8Array {
  const parts: Uint8Array[] = [];
  const seen = new Map<number, number>();
  let copiedUpTo = 0;
  for (let at = 0; at < message.length; ) {
    const start = at;
    const [key, afterKey] = readVarint(message, at);
    const number = Math.floor(key / 8);
    const wireType = key % 8;
    if (wireType === varint) [, at] = readVarint(message, afterKey);
    else if (wireType === fixed64) at = afterKey + 8;
    else if (wireType === fixed32) at = afterKey + 4;
    else if (wireType === lengthDelimited) {
      const [length, payloadStart] = readVarint(message, afterKey);
      at = payloadStart + length;
      const index = seen.get(number) ?? 0;
      seen.set(number, index + 1);
      const replaced = edit(number, index, message.subarray(payloadStart, at));
      if (replaced) {
        parts.push(message.subarray(copiedUpTo, start), lengthDelimitedField(number, replaced));
        copiedUpTo = at;
      }
    } else throw new Error(`unexpected protobuf wire type ${wireType}`);
    if (at > message.length) throw new Error('truncated protobuf message');
  }
  if (copiedUpTo === 0) return message;
  parts.push(message.subarray(copiedUpTo));
  return concat(parts);
}

/** One `Exemplar` message: its time, value, span and trace (no filtered attributes). */
function encodeExemplar(exemplar: Exemplar): Uint8Array {
  const time = Buffer.alloc(8);
  time.writeBigUInt64LE(BigInt(Math.round(exemplar.timeMs)) * 1_000_000n);
  const value = Buffer.alloc(8);
  value.writeDoubleLE(exemplar.value);
  return concat([
    Uint8Array.from(tag(field.exemplarTime, fixed64)),
    time,
    Uint8Array.from(tag(field.exemplarAsDouble, fixed64)),
    value,
    lengthDelimitedField(field.exemplarSpanId, Buffer.from(exemplar.spanId, 'hex')),
    lengthDelimitedField(field.exemplarTraceId, Buffer.from(exemplar.traceId, 'hex')),
  ]);
}

/**
 * An OTLP protobuf `ExportMetricsServiceRequest` (one resource, as the SDK's exporter writes it)
 * with `exemplars` added to the histogram points they belong to. The request is otherwise the
 * serializer's, byte for byte; only the lengths of the messages around a changed point change.
 */
export function addExemplarsToProtobuf(
  request: Uint8Array,
  exemplars: ExemplarsByPosition,
): Uint8Array {
  if (exemplars.size === 0) return request;
  return rewrite(request, (number, _index, resourceMetrics) =>
    number !== field.requestResourceMetrics
      ? null
      : rewrite(resourceMetrics, (number, scopeIndex, scopeMetrics) => {
          const inScope = exemplars.get(scopeIndex);
          if (number !== field.resourceScopeMetrics || !inScope) return null;
          return rewrite(scopeMetrics, (number, metricIndex, metric) => {
            const inMetric = inScope.get(metricIndex);
            if (number !== field.scopeMetrics || !inMetric) return null;
            return rewrite(metric, (number, _index, histogram) =>
              number !== field.metricHistogram
                ? null
                : rewrite(histogram, (number, pointIndex, point) => {
                    const found = inMetric.get(pointIndex);
                    if (number !== field.histogramDataPoints || !found) return null;
                    return concat([
                      point,
                      ...found.map((exemplar) =>
                        lengthDelimitedField(field.pointExemplars, encodeExemplar(exemplar)),
                      ),
                    ]);
                  }),
            );
          });
        }),
  );
}
