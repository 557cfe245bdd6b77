import { describe, expect, it } from 'vitest';
import { parseNdjson } from '../src/client/parseNdjson.js';

const slot = (id: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    resourceType: 'Slot',
    id,
    schedule: { reference: 'Schedule/10' },
    status: 'free',
    start: '2021-03-08T14:00:00.000Z',
    end: '2021-03-08T23:00:00.000Z',
    ...extra,
  });

describe('parseNdjson', () => {
  it('keeps the good lines of a file and counts the bad ones by kind', () => {
    const text = [
      slot('1'),
      '{"resourceType":"Slot", broken',
      '',
      '[1,2,3]',
      JSON.stringify({ resourceType: 'OperationOutcome', issue: [] }),
      slot('2', { start: '2021-03-08T14:00:00' }),
      slot('3', { id: undefined }),
      slot('4'),
    ].join('\n');
    const parsed = parseNdjson(text, 'Slot');
    expect(parsed.resources.map((r) => r.id)).toEqual(['1', '4']);
    expect(parsed).toMatchObject({ malformedLines: 2, wrongTypeLines: 1, invalidLines: 2 });
    expect(parsed.problems.map((p) => p.line)).toEqual([2, 4, 5, 6, 7]);
  });

  it('never puts a line’s content into its problems', () => {
    const secret = '199001010017 Test Patient';
    const parsed = parseNdjson(
      [`{"resourceType":"Slot","note":"${secret}"`, slot('5', { id: secret })].join('\n'),
      'Slot',
    );
    expect(parsed.invalidLines + parsed.malformedLines).toBe(2);
    expect(JSON.stringify(parsed.problems)).not.toContain('199001010017');
  });

  it('accepts unknown fields and extensions, a byte-order mark, CRLF and no final newline', () => {
    const text = `\uFEFF${slot('1', {
      meta: { source: 'x' },
      extension: [{ url: 'urn:unknown', valueCoding: { code: 'x' } }],
    })}\r\n${slot('2')}`;
    const parsed = parseNdjson(text, 'Slot');
    expect(parsed.resources.map((r) => r.id)).toEqual(['1', '2']);
    expect(parsed.resources[0]?.extension).toEqual([
      { url: 'urn:unknown', valueCoding: { code: 'x' } },
    ]);
    expect(parsed.malformedLines + parsed.invalidLines + parsed.wrongTypeLines).toBe(0);
  });

  it('drops a malformed optional part of a Location but keeps the Location', () => {
    const parsed = parseNdjson(
      JSON.stringify({
        resourceType: 'Location',
        id: 'l1',
        name: 'Kliniken',
        position: { latitude: '59.3', longitude: 18 },
        address: { line: ['Gatan 1'], city: 'Umeå' },
      }),
      'Location',
    );
    expect(parsed.resources[0]).toMatchObject({
      id: 'l1',
      position: undefined,
      address: { city: 'Umeå' },
    });
  });

  it('reports at most ten problems in detail but counts them all', () => {
    const parsed = parseNdjson(Array.from({ length: 25 }, () => 'nope').join('\n'), 'Schedule');
    expect(parsed.malformedLines).toBe(25);
    expect(parsed.problems).toHaveLength(10);
  });
});
