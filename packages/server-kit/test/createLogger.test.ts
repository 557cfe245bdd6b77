import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/createLogger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ service: 'test', level: 'debug', destination }) };
}

describe('createLogger', () => {
  it('redacts patient data wherever it sits in a logged object', () => {
    const { lines, logger } = capture();
    const patient = {
      personalIdentityNumber: '199001010017',
      givenName: 'Selma',
      familyName: 'Lagerlöf',
      email: 'a@b.se',
      phone: '+46701234567',
    };
    logger.info({ patient }, 'top level');
    logger.info({ input: { patient, slotId: 's1' } }, 'nested');
    logger.info({ variables: { input: { patient } } }, 'deeper');
    logger.info(
      { contact: { email: 'a@b.se', phone: '+46701234567', givenName: 'Selma' } },
      'fields',
    );
    const text = lines.join('');
    for (const secret of ['199001010017', 'Selma', 'Lagerl', 'a@b.se', '+46701234567']) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('"slotId":"s1"');
    expect(text).toContain('[redacted]');
  });

  it('writes one JSON line per entry with the service and level names', () => {
    const { lines, logger } = capture();
    logger.warn({ reservation: 'r1' }, 'something happened');
    const entry = JSON.parse(lines[0]!);
    expect(entry).toMatchObject({
      service: 'test',
      level: 'warn',
      msg: 'something happened',
      reservation: 'r1',
    });
  });
});
