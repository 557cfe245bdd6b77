import { describe, expect, it } from 'vitest';
import { parseMaxAge } from '../src/client/fetchPublished.js';
import { manifestSchema, scheduleSchema, slotSchema } from '../src/client/schemas.js';

describe('manifestSchema', () => {
  it('accepts the spec’s manifest, with extensions and without `error`', () => {
    const parsed = manifestSchema.parse({
      transactionTime: '2021-04-22T14:28:21.582Z',
      request: 'https://example.com/$bulk-publish',
      output: [
        { type: 'Slot', url: 'https://example.com/slots.ndjson', extension: { state: ['MA'] } },
        { type: 'PractitionerRole', url: 'https://example.com/roles.ndjson' },
      ],
    });
    expect(parsed.output).toHaveLength(2);
  });

  it('tolerates a malformed extension but refuses a manifest without output or time', () => {
    expect(
      manifestSchema.parse({
        transactionTime: '2021-04-22T14:28:21Z',
        output: [{ type: 'Slot', url: 'x', extension: 'MA' }],
      }).output[0]?.extension,
    ).toBeUndefined();
    expect(manifestSchema.safeParse({ transactionTime: '2021-04-22T14:28:21Z' }).success).toBe(
      false,
    );
    expect(manifestSchema.safeParse({ output: [] }).success).toBe(false);
    expect(
      manifestSchema.safeParse({ transactionTime: '2021-04-22 14:28', output: [] }).success,
    ).toBe(false);
  });
});

describe('resource schemas', () => {
  it('refuses a slot without schedule reference, with a bad id or with an offset-less time', () => {
    const slot = {
      resourceType: 'Slot',
      id: 'a.b-c_1',
      schedule: { reference: 'Schedule/1' },
      status: 'free',
      start: '2026-10-25T02:30:00+02:00',
      end: '2026-10-25T02:50:00+02:00',
    };
    expect(slotSchema.safeParse(slot).success).toBe(true);
    expect(slotSchema.safeParse({ ...slot, schedule: {} }).success).toBe(false);
    expect(slotSchema.safeParse({ ...slot, id: 'has space' }).success).toBe(false);
    expect(slotSchema.safeParse({ ...slot, id: 'x'.repeat(65) }).success).toBe(false);
    expect(slotSchema.safeParse({ ...slot, end: '2026-10-25T02:50:00' }).success).toBe(false);
  });

  it('requires a schedule to name at least one actor', () => {
    expect(scheduleSchema.safeParse({ resourceType: 'Schedule', id: 's', actor: [] }).success).toBe(
      false,
    );
  });
});

describe('parseMaxAge', () => {
  it('reads max-age, treats no-cache and no-store as zero, and absent as unknown', () => {
    expect(parseMaxAge('public, max-age=300')).toBe(300);
    expect(parseMaxAge('Max-Age="120"')).toBe(120);
    expect(parseMaxAge(['public', 'max-age=60'])).toBe(60);
    expect(parseMaxAge('no-cache, max-age=600')).toBe(0);
    expect(parseMaxAge('no-store')).toBe(0);
    expect(parseMaxAge('public')).toBeUndefined();
    expect(parseMaxAge(undefined)).toBeUndefined();
  });
});
