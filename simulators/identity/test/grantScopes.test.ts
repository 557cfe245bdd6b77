import { describe, expect, it } from 'vitest';
import { checkCredentials, demoUsers } from '../src/demoUsers.js';
import { grantScopes } from '../src/grantScopes.js';

describe('grantScopes: what a user consents to, by role', () => {
  const all =
    'openid profile availability:read reservations:read reservations:write webhooks:manage admin';
  it.each([
    {
      role: 'patient' as const,
      requested: all,
      identity: ['openid', 'profile'],
      api: ['availability:read', 'reservations:read', 'reservations:write'],
      refused: ['webhooks:manage', 'admin'],
    },
    {
      role: 'staff' as const,
      requested: all,
      identity: ['openid', 'profile'],
      api: ['availability:read', 'reservations:read', 'reservations:write', 'admin'],
      refused: ['webhooks:manage'],
    },
    {
      role: 'patient' as const,
      requested: 'openid  admin',
      identity: ['openid'],
      api: [],
      refused: ['admin'],
    },
    {
      role: 'patient' as const,
      requested: 'openid email offline_access reservations:read',
      identity: ['openid'],
      api: ['reservations:read'],
      refused: [],
    },
    { role: 'staff' as const, requested: '', identity: [], api: [], refused: [] },
  ])('$role asking for "$requested"', ({ role, requested, identity, api, refused }) => {
    expect(grantScopes(requested, role)).toEqual({ identity, api, refused });
  });
});

describe('checkCredentials', () => {
  it('signs in a demo user by username (any case, spaces around) and password', () => {
    expect(checkCredentials(demoUsers, ' Astrid ', 'demo')?.username).toBe('astrid');
  });

  it.each([
    ['astrid', 'Demo'],
    ['astrid', ''],
    ['nobody', 'demo'],
    ['', ''],
  ])('refuses %j with password %j', (username, password) => {
    expect(checkCredentials(demoUsers, username, password)).toBeUndefined();
  });
});
