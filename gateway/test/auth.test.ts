import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigurationError, Scope } from '@booking/server-kit';
import { buildASTSchema, GraphQLError, getNamedType, parse } from 'graphql';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { createAuthenticator } from '../src/auth/createAuthenticator.js';
import { defaultAudience, developmentIssuer } from '../src/auth/developmentKeys.js';
import { requiredScopes, reservationQueries, webhookFields } from '../src/auth/requiredScopes.js';
import { signDevelopmentToken } from '../src/auth/signToken.js';
import { readEnvironment } from '../src/environment.js';
import { maskErrors } from '../src/maskErrors.js';

const developmentAuthenticator = () => {
  const env = readEnvironment({});
  return createAuthenticator({
    keys: { jwks: env.auth.publicKeys as never },
    issuer: env.auth.issuer,
    audience: env.auth.audience,
    apiKeys: [
      {
        id: 'partner-backend',
        sha256: createHash('sha256').update('s3cret-partner-key').digest('hex'),
        scopes: [Scope.ReservationsWrite],
      },
    ],
    anonymousScopes: [Scope.AvailabilityRead],
  });
};

async function rejection(promise: Promise<unknown>) {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(GraphQLError);
  return {
    code: (error as GraphQLError).extensions.code,
    status: ((error as GraphQLError).extensions.http as { status: number }).status,
    message: (error as GraphQLError).message,
  };
}

describe('createAuthenticator', () => {
  const auth = developmentAuthenticator();

  it('answers 503, not 401, while the identity provider’s keys cannot be fetched', async () => {
    const server = createServer((_req, res) => res.writeHead(500).end('down'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const token = await signDevelopmentToken({ clientId: 'web', scopes: [Scope.AvailabilityRead] });
    try {
      for (const jwksUrl of [`http://127.0.0.1:${port}/jwks`, 'http://127.0.0.1:9/jwks']) {
        const remote = createAuthenticator({
          keys: { jwksUrl: new URL(jwksUrl) },
          issuer: developmentIssuer,
          audience: defaultAudience,
          apiKeys: [],
          anonymousScopes: [],
        });
        expect(await rejection(remote.authenticate({ authorization: `Bearer ${token}` }))).toEqual({
          code: 'INTERNAL_SERVER_ERROR',
          status: 503,
          message: 'tokens cannot be checked right now; retry later',
        });
      }
    } finally {
      server.close();
    }
  });

  it('accepts a development token and reads its subject and scopes', async () => {
    const token = await signDevelopmentToken({
      clientId: 'vården-web',
      scopes: [Scope.AvailabilityRead, Scope.ReservationsWrite],
    });
    const principal = await auth.authenticate({ authorization: `Bearer ${token}` });
    expect(principal).toEqual({
      clientId: 'vården-web',
      subject: null,
      scopes: new Set([Scope.AvailabilityRead, Scope.ReservationsWrite]),
      method: 'jwt',
    });
  });

  it('tells a patient signed in to an application from the application itself', async () => {
    const patient = await signDevelopmentToken({
      clientId: 'vården-web',
      subject: 'patient-astrid',
      scopes: [Scope.ReservationsRead],
    });
    expect(await auth.authenticate({ authorization: `Bearer ${patient}` })).toMatchObject({
      clientId: 'vården-web',
      subject: 'patient-astrid',
    });
    // A client-credentials token names the client as its subject (or only has `sub`): no end user.
    const backend = await signDevelopmentToken({
      clientId: 'vården-web',
      subject: 'vården-web',
      scopes: [Scope.ReservationsRead],
    });
    expect(await auth.authenticate({ authorization: `Bearer ${backend}` })).toMatchObject({
      clientId: 'vården-web',
      subject: null,
    });
  });

  it('refuses a tampered, expired, foreign or wrongly addressed token with UNAUTHENTICATED (401)', async () => {
    const good = await signDevelopmentToken({ scopes: [Scope.Admin] });
    const [header, payload, signature] = good.split('.');
    const elevated = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), sub: 'x' }),
    ).toString('base64url');
    const expired = await signDevelopmentToken({ scopes: [Scope.Admin], expiresInSeconds: -120 });
    const { privateKey } = await generateKeyPair('EdDSA');
    const foreign = await new SignJWT({ scope: 'admin' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setIssuer(developmentIssuer)
      .setAudience(defaultAudience)
      .setSubject('mallory')
      .setExpirationTime('1h')
      .sign(privateKey);
    for (const token of [`${header}.${elevated}.${signature}`, expired, foreign, 'not-a-jwt']) {
      expect(
        await rejection(auth.authenticate({ authorization: `Bearer ${token}` })),
      ).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
    }
    expect(
      (await rejection(auth.authenticate({ authorization: `Bearer ${expired}` }))).message,
    ).toMatch(/expired/);
    expect(await rejection(auth.authenticate({ authorization: 'Basic abc' }))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('refuses a token for another audience or from another issuer', async () => {
    const strict = createAuthenticator({
      keys: { jwks: readEnvironment({}).auth.publicKeys as never },
      issuer: 'https://idp.example.se',
      audience: 'another-api',
      apiKeys: [],
      anonymousScopes: [],
    });
    const token = await signDevelopmentToken({ scopes: [Scope.AvailabilityRead] });
    expect(
      await rejection(strict.authenticate({ authorization: `Bearer ${token}` })),
    ).toMatchObject({ code: 'UNAUTHENTICATED', status: 401 });
  });

  it('trusts each other issuer with its own keys, names and scopes only', async () => {
    const patients = 'https://patients.example.se';
    const { publicKey, privateKey } = await generateKeyPair('ES256');
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: 'p1', alg: 'ES256' }] };
    const server = createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(jwks)),
    );
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const env = readEnvironment({
      AUTH_TRUSTED_ISSUERS: JSON.stringify([
        {
          issuer: patients,
          jwksUrl: `http://127.0.0.1:${port}/jwks`,
          scopes: ['availability:read', 'reservations:write'],
        },
      ]),
    });
    const both = createAuthenticator({
      keys: { jwks: env.auth.publicKeys as never },
      issuer: env.auth.issuer,
      otherIssuers: env.auth.otherIssuers.map((o) => ({ ...o, jwksUrl: new URL(o.jwksUrl) })),
      audience: env.auth.audience,
      apiKeys: [],
      anonymousScopes: [],
    });
    const sign = (issuer: string) =>
      new SignJWT({ client_id: 'booking-web', scope: 'reservations:write admin' })
        .setProtectedHeader({ alg: 'ES256', kid: 'p1' })
        .setIssuer(issuer)
        .setAudience(defaultAudience)
        .setSubject('patient-1')
        .setExpirationTime('5m')
        .sign(privateKey);
    try {
      const principal = await both.authenticate({
        authorization: `Bearer ${await sign(patients)}`,
      });
      // Its client and patient are its own, never the primary issuer's of the same name; and it
      // grants no more than it is allowed to (no admin).
      expect(principal).toMatchObject({
        clientId: `booking-web@${patients}`,
        subject: `patient-1@${patients}`,
      });
      expect([...principal.scopes]).toEqual([Scope.ReservationsWrite]);
      // The development issuer's name with the other issuer's key: the keys do not match the name.
      const forged = await sign(developmentIssuer);
      expect((await rejection(both.authenticate({ authorization: `Bearer ${forged}` }))).code).toBe(
        'UNAUTHENTICATED',
      );
      const development = await signDevelopmentToken({ scopes: [Scope.AvailabilityRead] });
      await expect(
        both.authenticate({ authorization: `Bearer ${development}` }),
      ).resolves.toMatchObject({ method: 'jwt' });
    } finally {
      server.close();
    }
  });

  it('refuses an issuer trusted twice, and signing keys over http in production', () => {
    expect(() =>
      readEnvironment({
        AUTH_TRUSTED_ISSUERS: JSON.stringify([
          { issuer: developmentIssuer, jwksUrl: 'http://127.0.0.1:9/jwks' },
        ]),
      }),
    ).toThrow(/AUTH_TRUSTED_ISSUERS.*names AUTH_ISSUER again/s);
    expect(() =>
      readEnvironment({
        NODE_ENV: 'production',
        AUTH_ISSUER: 'https://idp.example.se',
        AUTH_JWKS_URL: 'http://idp.example.se/jwks',
        INTERNAL_SECRET: 'a-secret-of-its-own',
      }),
    ).toThrow(/https only/);
  });

  it('knows server clients by API key, and refuses unknown keys', async () => {
    expect(await auth.authenticate({ 'x-api-key': 's3cret-partner-key' })).toEqual({
      clientId: 'partner-backend',
      subject: null,
      scopes: new Set([Scope.ReservationsWrite]),
      method: 'api-key',
    });
    expect(await rejection(auth.authenticate({ 'x-api-key': 'guess' }))).toMatchObject({
      code: 'UNAUTHENTICATED',
    });
  });

  it('gives a request without credentials only the anonymous scopes', async () => {
    expect(await auth.authenticate({})).toEqual({
      clientId: 'anonymous',
      subject: null,
      scopes: new Set([Scope.AvailabilityRead]),
      method: 'anonymous',
    });
  });
});

describe('requiredScopes', () => {
  const scopesOf = (text: string) => {
    const document = parse(text);
    const operation = document.definitions.find((d) => d.kind === 'OperationDefinition');
    const fragments = Object.fromEntries(
      document.definitions.flatMap((d) =>
        d.kind === 'FragmentDefinition' ? [[d.name.value, d] as const] : [],
      ),
    );
    return [...requiredScopes(operation as never, fragments)].sort();
  };

  it('asks reservations:write of every mutation, reservations:read of a reservation, availability:read of the rest', () => {
    expect(scopesOf('mutation { cancelReservation(input: {}) { __typename } }')).toEqual([
      'reservations:write',
    ]);
    expect(scopesOf('{ reservation(id: "x") { id } }')).toEqual(['reservations:read']);
    expect(scopesOf('{ myReservations { totalCount } }')).toEqual(['reservations:read']);
    expect(scopesOf('{ reservationEvents { pageInfo { endCursor } } }')).toEqual([
      'reservations:read',
    ]);
    expect(scopesOf('{ providers { id } treatments { id } }')).toEqual(['availability:read']);
    expect(scopesOf('{ __typename __schema { types { name } } }')).toEqual([]);
  });

  it('knows every root field of the supergraph that returns reservations or their events', () => {
    const supergraph = buildASTSchema(
      parse(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8')),
      { assumeValidSDL: true },
    );
    const fields = Object.values(supergraph.getQueryType()!.getFields());
    const reading = fields.filter((field) =>
      /^(Reservation|AvailabilityWatch|AvailabilityEvent)/.test(getNamedType(field.type).name),
    );
    expect(reading.map((field) => field.name).sort()).toEqual([...reservationQueries].sort());
  });

  it('asks webhooks:manage of every root field that manages webhooks, and knows them all', () => {
    expect(scopesOf('{ webhookEndpoints { id } }')).toEqual(['webhooks:manage']);
    expect(scopesOf('mutation { createWebhookEndpoint(input: {url: "x"}) { secret } }')).toEqual([
      'webhooks:manage',
    ]);
    const supergraph = buildASTSchema(
      parse(readFileSync(new URL('../../schema/supergraph.graphql', import.meta.url), 'utf8')),
      { assumeValidSDL: true },
    );
    const roots = [supergraph.getQueryType()!, supergraph.getMutationType()!].flatMap((type) =>
      Object.values(type.getFields()),
    );
    const webhooks = roots.filter((field) => /webhook/i.test(field.name));
    expect(webhooks.map((field) => field.name).sort()).toEqual([...webhookFields].sort());
  });

  it('sees root fields behind fragments too', () => {
    expect(scopesOf('query { ...R } fragment R on Query { reservation(id: "x") { id } }')).toEqual([
      'reservations:read',
    ]);
    expect(
      scopesOf('query { ... on Query { providers { id } reservation(id: "x") { id } } }'),
    ).toEqual(['availability:read', 'reservations:read']);
  });
});

describe('the gateway configuration', () => {
  const production = { NODE_ENV: 'production', INTROSPECTION: 'false' };

  it('refuses to start in production with the development signing key, issuer or internal secret', () => {
    let error: unknown;
    try {
      readEnvironment(production);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigurationError);
    const problems = (error as ConfigurationError).problems.join('\n');
    expect(problems).toMatch(/AUTH_JWT_PUBLIC_KEYS: production needs/);
    expect(problems).toMatch(/AUTH_ISSUER: production needs/);
    expect(problems).toMatch(/INTERNAL_SECRET: production needs its own/);
  });

  it('starts in production with keys and secrets of its own, strict by default', async () => {
    const { publicKey } = await generateKeyPair('EdDSA', { extractable: true });
    const env = readEnvironment({
      ...production,
      AUTH_JWT_PUBLIC_KEYS: JSON.stringify({ keys: [await exportJWK(publicKey)] }),
      AUTH_ISSUER: 'https://idp.example.se',
      INTERNAL_SECRET: 'a-production-secret-of-its-own',
    });
    expect(env).toMatchObject({
      auth: { anonymousReads: false },
      rateLimit: { perMinute: 600 },
      trustedDocuments: { mode: 'enforced' },
      graphql: { explorer: false },
    });
  });

  it('refuses private keys among the verification keys', async () => {
    const { privateKey } = await generateKeyPair('EdDSA', { extractable: true });
    const keys = JSON.stringify({ keys: [await exportJWK(privateKey)] });
    expect(() => readEnvironment({ AUTH_JWT_PUBLIC_KEYS: keys })).toThrow(/public keys only/);
  });
});

describe('maskErrors (production)', () => {
  it('keeps what is meant for clients and hides everything else', () => {
    expect(
      maskErrors({
        message: 'filter.to: must be after filter.from',
        extensions: { code: 'BAD_USER_INPUT', field: 'filter.to', stacktrace: ['…'] },
      }),
    ).toEqual({
      message: 'filter.to: must be after filter.from',
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.to' },
    });
    expect(
      maskErrors({
        message: 'relation "reservations" does not exist',
        path: ['reserveSlot'],
        extensions: { code: 'INTERNAL_SERVER_ERROR', serviceName: 'scheduling' },
      }),
    ).toEqual({
      message: 'Internal server error',
      path: ['reserveSlot'],
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });
});
