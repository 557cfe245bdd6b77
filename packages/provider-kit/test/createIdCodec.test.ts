import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createIdCodec, InvalidIdError } from '../src/index.js';

const codec = createIdCodec({
  label: 'Acme slot id',
  fields: ['clinic', 'practitioner', 'start'],
  schema: z.object({
    clinic: z.string(),
    practitioner: z.string().optional(),
    start: z.string().regex(/^\d{12}$/),
  }),
});

function failure(id: string): InvalidIdError {
  const decoded = codec.decode(id);
  if (decoded.ok) throw new Error('decoded');
  expect(decoded.error).toBeInstanceOf(InvalidIdError);
  return decoded.error;
}

describe('createIdCodec', () => {
  it('round-trips typed parts, separators and spaces inside them included', () => {
    const key = { clinic: 'C|1', practitioner: 'Dr A', start: '202610250230' };
    const id = codec.encode(key);
    expect(id).toBe('C%7C1|Dr%20A|202610250230');
    expect(codec.decode(id)).toEqual({ ok: true, value: key });
  });

  it('encodes an absent part as empty and decodes it as absent', () => {
    const id = codec.encode({ clinic: 'C1', start: '202610250230' });
    expect(id).toBe('C1||202610250230');
    expect(codec.decode(id)).toEqual({
      ok: true,
      value: { clinic: 'C1', practitioner: undefined, start: '202610250230' },
    });
  });

  it('refuses the wrong number of parts', () => {
    expect(failure('SL-123').message).toBe('Acme slot id: 1 parts, not 3');
  });

  it('refuses a part that is not URI-encoded', () => {
    expect(failure('C1|%E0%A4%A|202610250230').reason).toBe('practitioner: not URI-encoded');
  });

  it('refuses parts that break the rules, naming the part, never the value', () => {
    const error = failure('|Dr%20Secret|19900101-1234');
    expect(error.reason).toMatch(/^clinic: .*; start: /);
    expect(error.message).not.toMatch(/Secret|1990|1234/);
  });
});
