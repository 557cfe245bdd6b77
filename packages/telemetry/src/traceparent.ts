import { isSpanContextValid, type SpanContext } from '@opentelemetry/api';

const pattern = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/**
 * A span context as a W3C `traceparent` (`00-<trace id>-<span id>-<flags>`), for storing it beside
 * what the span made, so that later work can link back to it; null for an invalid context (nothing
 * traced). The stored form is fixed, whatever propagators a process configures for its requests.
 */
export function formatTraceparent(spanContext: SpanContext | undefined): string | null {
  if (!spanContext || !isSpanContextValid(spanContext)) return null;
  const flags = (spanContext.traceFlags & 0xff).toString(16).padStart(2, '0');
  return `00-${spanContext.traceId}-${spanContext.spanId}-${flags}`;
}

/** The span context a stored `traceparent` names (remote); null for null or anything malformed. */
export function parseTraceparent(traceparent: string | null | undefined): SpanContext | null {
  const match = traceparent ? pattern.exec(traceparent) : null;
  if (!match) return null;
  const spanContext: SpanContext = {
    traceId: match[1]!,
    spanId: match[2]!,
    traceFlags: Number.parseInt(match[3]!, 16),
    isRemote: true,
  };
  return isSpanContextValid(spanContext) ? spanContext : null;
}
