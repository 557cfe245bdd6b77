import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { decodeGlobalId, encodeGlobalId, maxGlobalIdLength } from '../src/engines/globalId.js';

function refusal(work: () => unknown): GraphQLError {
  try {
    work();
  } catch (error) {
    if (error instanceof GraphQLError) return error;
    throw error;
  }
  throw new Error('not refused');
}

describe('global ids', () => {
  it('decode to the connection and local id they were made from', () => {
    const id = encodeGlobalId('Slot', 'cliniq-nordklinik', 'SL-CL1001-PR1101-202603300900');
    expect(decodeGlobalId('Slot', id, 'slotId')).toEqual({
      connectionId: 'cliniq-nordklinik',
      localId: 'SL-CL1001-PR1101-202603300900',
    });
  });

  it('refuse an id of another type, naming the field', () => {
    const clinic = encodeGlobalId('Clinic', 'cliniq-nordklinik', 'CL1001');
    const error = refusal(() => decodeGlobalId('Slot', clinic, 'slotId'));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slotId' });
  });

  it('refuse an oversized id before decoding it, without quoting it back', () => {
    const huge = encodeGlobalId('Slot', 'cliniq-nordklinik', 'x'.repeat(16 * 1024));
    expect(huge.length).toBeGreaterThan(maxGlobalIdLength);
    const error = refusal(() => decodeGlobalId('Slot', huge, 'slotId'));
    expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'slotId' });
    expect(error.message).not.toContain('xxxx');
    expect(error.message.length).toBeLessThan(100);
  });
});
