import { identityHeaders, Scope } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { identityFromHeaders } from '../src/schema/context.js';

describe('identityFromHeaders: who a request from the gateway acts for', () => {
  it('reads a patient’s subject beside the client id and scopes', () => {
    expect(
      identityFromHeaders({
        [identityHeaders.clientId]: 'vården-web',
        [identityHeaders.subject]: 'patient-astrid',
        [identityHeaders.scopes]: 'reservations:read unknown',
      }),
    ).toEqual({
      clientId: 'vården-web',
      subject: 'patient-astrid',
      scopes: new Set([Scope.ReservationsRead]),
    });
  });

  it('gives a backend client (no subject header, or an empty one) no subject', () => {
    for (const subject of [undefined, '']) {
      expect(
        identityFromHeaders({
          [identityHeaders.clientId]: 'vården-web',
          [identityHeaders.subject]: subject,
        }),
      ).toMatchObject({ clientId: 'vården-web', subject: null });
    }
    expect(identityFromHeaders({})).toEqual({
      clientId: 'anonymous',
      subject: null,
      scopes: new Set(),
    });
  });
});
