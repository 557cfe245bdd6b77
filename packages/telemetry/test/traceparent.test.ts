import { TraceFlags } from '@opentelemetry/api';
import { describe, expect, it } from 'vitest';
import { formatTraceparent, parseTraceparent } from '../src/traceparent.js';

const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
const spanId = '00f067aa0ba902b7';

describe('traceparent', () => {
  it('writes a sampled span context as W3C trace context and reads it back as a remote one', () => {
    const stored = formatTraceparent({ traceId, spanId, traceFlags: TraceFlags.SAMPLED });
    expect(stored).toBe(`00-${traceId}-${spanId}-01`);
    expect(parseTraceparent(stored)).toEqual({
      traceId,
      spanId,
      traceFlags: TraceFlags.SAMPLED,
      isRemote: true,
    });
  });

  it('keeps an unsampled context unsampled', () => {
    const stored = formatTraceparent({ traceId, spanId, traceFlags: TraceFlags.NONE });
    expect(stored).toBe(`00-${traceId}-${spanId}-00`);
    expect(parseTraceparent(stored)?.traceFlags).toBe(TraceFlags.NONE);
  });

  it('stores nothing for an invalid context (nothing traced)', () => {
    expect(formatTraceparent(undefined)).toBeNull();
    expect(
      formatTraceparent({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 1 }),
    ).toBeNull();
  });

  it.each([
    [null],
    [''],
    ['garbage'],
    [`01-${traceId}-${spanId}-01`],
    [`00-${traceId.toUpperCase()}-${spanId}-01`],
    [`00-${'0'.repeat(32)}-${spanId}-01`],
    [`00-${traceId}-${'0'.repeat(16)}-01`],
    [`00-${traceId}-${spanId}-01-extra`],
  ])('reads %j as no context', (stored) => {
    expect(parseTraceparent(stored)).toBeNull();
  });
});
