import { Scope } from '@booking/server-kit';
import * as jose from 'jose';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createAuthenticator } from '../src/auth/createAuthenticator.js';
import { signDevelopmentToken } from '../src/auth/signToken.js';
import { readEnvironment } from '../src/environment.js';

vi.mock('jose', async (importOriginal) => {
  const actual = await importOriginal<typeof import('jose')>();
  return { ...actual, jwtVerify: vi.fn(actual.jwtVerify) };
});
const verifications = vi.mocked(jose.jwtVerify);

/** An authenticator over the development key whose clock the test moves. */
function authenticatorAt(
  clock: { ms: number },
  verifiedTokens?: { maxEntries?: number; maxAgeMs?: number },
) {
  const env = readEnvironment({});
  return createAuthenticator({
    keys: { jwks: env.auth.publicKeys as never },
    issuer: env.auth.issuer,
    audience: env.auth.audience,
    apiKeys: [],
    anonymousScopes: [],
    now: () => clock.ms,
    ...(verifiedTokens && { verifiedTokens }),
  });
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe('tokens verified lately', () => {
  // A returned function would be taken for a teardown: the mock must not be returned.
  beforeEach(() => {
    verifications.mockClear();
  });

  it('checks the signature of a token sent again only once, and gives the same client', async () => {
    const clock = { ms: Date.now() };
    const auth = authenticatorAt(clock);
    const token = await signDevelopmentToken({
      clientId: 'vården-web',
      subject: 'patient-astrid',
      scopes: [Scope.AvailabilityRead],
    });
    const first = await auth.authenticate(bearer(token));
    clock.ms += 1000;
    const second = await auth.authenticate(bearer(token));
    expect(second).toEqual(first);
    expect(second.subject).toBe('patient-astrid');
    expect(verifications).toHaveBeenCalledTimes(1);
  });

  it('tells two tokens apart: another patient’s token is verified and answered as theirs', async () => {
    const auth = authenticatorAt({ ms: Date.now() });
    const astrid = await signDevelopmentToken({
      clientId: 'vården-web',
      subject: 'patient-astrid',
      scopes: [Scope.AvailabilityRead],
    });
    const bertil = await signDevelopmentToken({
      clientId: 'vården-web',
      subject: 'patient-bertil',
      scopes: [Scope.AvailabilityRead],
    });
    expect((await auth.authenticate(bearer(astrid))).subject).toBe('patient-astrid');
    expect((await auth.authenticate(bearer(bertil))).subject).toBe('patient-bertil');
    expect((await auth.authenticate(bearer(astrid))).subject).toBe('patient-astrid');
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('refuses a remembered token once it has expired', async () => {
    const clock = { ms: Date.now() };
    const auth = authenticatorAt(clock);
    const token = await signDevelopmentToken({
      scopes: [Scope.AvailabilityRead],
      expiresInSeconds: 60,
    });
    await auth.authenticate(bearer(token));
    // Past `exp` and the 30 s clock tolerance.
    clock.ms += 95_000;
    await expect(auth.authenticate(bearer(token))).rejects.toMatchObject({
      message: expect.stringMatching(/expired/),
      extensions: { code: 'UNAUTHENTICATED' },
    });
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('verifies a token again once its entry is older than maxAgeMs', async () => {
    const clock = { ms: Date.now() };
    const auth = authenticatorAt(clock, { maxAgeMs: 5000 });
    const token = await signDevelopmentToken({ scopes: [Scope.AvailabilityRead] });
    await auth.authenticate(bearer(token));
    clock.ms += 4000;
    await auth.authenticate(bearer(token));
    expect(verifications).toHaveBeenCalledTimes(1);
    clock.ms += 2000;
    await auth.authenticate(bearer(token));
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('never keeps a token that failed: a tampered token is refused every time', async () => {
    const auth = authenticatorAt({ ms: Date.now() });
    const good = await signDevelopmentToken({ scopes: [Scope.AvailabilityRead] });
    const [header, payload, signature] = good.split('.');
    const claims = JSON.parse(Buffer.from(payload!, 'base64url').toString());
    const elevated = Buffer.from(JSON.stringify({ ...claims, scope: Scope.Admin })).toString(
      'base64url',
    );
    const tampered = `${header}.${elevated}.${signature}`;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await expect(auth.authenticate(bearer(tampered))).rejects.toMatchObject({
        extensions: { code: 'UNAUTHENTICATED' },
      });
    }
    expect(verifications).toHaveBeenCalledTimes(2);
  });

  it('keeps at most maxEntries tokens, forgetting the oldest', async () => {
    const auth = authenticatorAt({ ms: Date.now() }, { maxEntries: 2 });
    const tokens = await Promise.all(
      ['a', 'b', 'c'].map((clientId) =>
        signDevelopmentToken({ clientId, scopes: [Scope.AvailabilityRead] }),
      ),
    );
    for (const token of tokens) await auth.authenticate(bearer(token));
    expect(verifications).toHaveBeenCalledTimes(3);
    await auth.authenticate(bearer(tokens[2]!));
    await auth.authenticate(bearer(tokens[1]!));
    expect(verifications).toHaveBeenCalledTimes(3);
    expect((await auth.authenticate(bearer(tokens[0]!))).clientId).toBe('a');
    expect(verifications).toHaveBeenCalledTimes(4);
  });
});
