import { describe, expect, it } from 'vitest';
import { mayAccess } from '../src/engines/ownership.js';

const patient = (subject: string) => ({ clientId: 'vården-web', subject, admin: false });
const backend = { clientId: 'vården-web', subject: null, admin: false };
const otherApp = { clientId: 'partner-app', subject: null, admin: false };
const admin = { clientId: 'operations', subject: null, admin: true };

const astrids = { client_id: 'vården-web', subject: 'astrid' };
const backends = { client_id: 'vården-web', subject: null };

describe('mayAccess: who reaches a reservation', () => {
  it.each([
    ['the patient it was made for', patient('astrid'), astrids, true],
    ['another patient of the same application', patient('selma'), astrids, false],
    ['a backend client of the same application', backend, astrids, true],
    ['another application', otherApp, astrids, false],
    [
      'another application’s patient with the same subject',
      { ...otherApp, subject: 'astrid' },
      astrids,
      false,
    ],
    ['admin', admin, astrids, true],
    [
      'a patient, of the application’s own (or pre-subject) reservation',
      patient('astrid'),
      backends,
      false,
    ],
    ['a backend client, of its application’s own reservation', backend, backends, true],
  ])('%s: %s', (_name, caller, reservation, expected) => {
    expect(mayAccess(caller, reservation)).toBe(expected);
  });
});
