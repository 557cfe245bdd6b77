import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { defineProvider } from '../src/provider/defineProvider.js';
import {
  connectionsVariable,
  environmentProblems,
  loadProviderEnvironment,
  providerVariables,
} from '../src/provider/loadProviderEnvironment.js';

/** A provider system of the kind every real one is: an endpoint and a credential per connection. */
const acme = defineProvider({
  system: 'acme',
  port: 4099,
  connectionFields: { baseUrl: z.url({ protocol: /^https?$/ }), apiKey: z.string().min(1) },
  developmentConnections: [
    { id: 'demo', name: 'Acme Demo', baseUrl: 'http://127.0.0.1:4199', apiKey: 'dev-key' },
  ],
  settings: z
    .object({ ACME_POLL_MS: z.coerce.number().int().positive().default(60_000) })
    .transform((env) => ({ pollMs: env.ACME_POLL_MS })),
  connect: (entry, { id, deadlineMs }) => ({ id, name: entry.name, deadlineMs }),
  adapter: () => {
    throw new Error('not used here');
  },
});

const entry = {
  id: 'sodra',
  name: 'Södra Vården',
  baseUrl: 'https://acme.example/sodra',
  apiKey: 'k-123',
  deadlineMs: 1500,
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadProviderEnvironment(acme, env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadProviderEnvironment', () => {
  it('reads catalogues every 60 s unless PROVIDER_CATALOGUE_REFRESH_MS or an entry says otherwise', () => {
    expect(loadProviderEnvironment(acme, {}).catalogueRefreshMs).toBe(60_000);
    const configured = loadProviderEnvironment(acme, {
      PROVIDER_CATALOGUE_REFRESH_MS: '300000',
      ACME_CONNECTIONS: JSON.stringify([{ ...entry, catalogueRefreshMs: 5000 }]),
    });
    expect(configured.catalogueRefreshMs).toBe(300_000);
    expect(configured.connections[0]?.catalogueRefreshMs).toBe(5000);
    expect(
      problems({
        PROVIDER_CATALOGUE_REFRESH_MS: '999',
        ACME_CONNECTIONS: JSON.stringify([{ ...entry, catalogueRefreshMs: 86_400_001 }]),
      }),
    ).toEqual([
      expect.stringMatching(/^PROVIDER_CATALOGUE_REFRESH_MS: /),
      expect.stringMatching(/^ACME_CONNECTIONS\.0\.catalogueRefreshMs: /),
    ]);
  });

  it('names the connection list after the system, and lists every variable it reads', () => {
    expect(connectionsVariable('acme')).toBe('ACME_CONNECTIONS');
    expect(connectionsVariable('square-up')).toBe('SQUARE_UP_CONNECTIONS');
    expect(providerVariables(acme)).toEqual([
      'NODE_ENV',
      'PORT',
      'HOST',
      'LOG_LEVEL',
      'INTERNAL_SECRET',
      'PROVIDER_DEADLINE_MS',
      'PROVIDER_CATALOGUE_REFRESH_MS',
      'PROVIDER_CHANGES_DATABASE_URL',
      'ACME_CONNECTIONS',
      'ACME_POLL_MS',
    ]);
  });

  it('reads the push base URL and the reservation index only for a system that uses them', () => {
    const pushed = { ...acme, receivePush: async () => ({ status: 200 }), reservationIndex: true };
    expect(providerVariables(pushed)).toEqual(
      expect.arrayContaining([
        'ACME_PUSH_BASE_URL',
        'ACME_RESERVATIONS_DATABASE_URL',
        'ACME_RESERVATIONS_DIR',
      ]),
    );
    expect(providerVariables(acme)).not.toContain('ACME_PUSH_BASE_URL');
    const load = (env: Record<string, string>) => loadProviderEnvironment(pushed, env);
    // Outside production, a service given its port is reached there: where a simulator pushes.
    expect(load({ PORT: '4099' }).pushBaseUrl).toBe('http://127.0.0.1:4099');
    expect(load({}).pushBaseUrl).toBeUndefined();
    expect(load({ PORT: '0' }).pushBaseUrl).toBeUndefined();
    expect(
      load({ PORT: '4099', ACME_PUSH_BASE_URL: 'https://acme.booking.example' }).pushBaseUrl,
    ).toBe('https://acme.booking.example');
    expect(loadProviderEnvironment(acme, { PORT: '4099' }).pushBaseUrl).toBeUndefined();
    expect(
      load({ ACME_RESERVATIONS_DATABASE_URL: 'postgres://db/reservations' }).reservations,
    ).toEqual({ databaseUrl: 'postgres://db/reservations', directory: undefined });
    const production = {
      NODE_ENV: 'production',
      INTERNAL_SECRET: 'a-production-secret-of-its-own',
      ACME_CONNECTIONS: JSON.stringify([entry]),
    };
    expect(environmentProblems(pushed, production)).toEqual([
      'ACME_RESERVATIONS_DATABASE_URL: required in production',
    ]);
    expect(environmentProblems(pushed, { ...production, PORT: '4099' })).toHaveLength(1);
    expect(
      environmentProblems(pushed, {
        ...production,
        ACME_PUSH_BASE_URL: 'ftp://acme',
        ACME_RESERVATIONS_DATABASE_URL: 'postgres://db/reservations',
      }),
    ).toEqual([expect.stringMatching(/^ACME_PUSH_BASE_URL: /)]);
    const inProduction = loadProviderEnvironment(pushed, {
      ...production,
      PORT: '4099',
      ACME_RESERVATIONS_DATABASE_URL: 'postgres://db/reservations',
    });
    expect(inProduction.pushBaseUrl).toBeUndefined();
  });

  it('serves the development connections when the list is unset outside production', () => {
    const environment = loadProviderEnvironment(acme, { ACME_CONNECTIONS: ' ' });
    expect(environment).toMatchObject({
      nodeEnv: 'development',
      port: 4099,
      host: '127.0.0.1',
      logLevel: 'info',
      providerDeadlineMs: 2000,
      settings: { pollMs: 60_000 },
    });
    expect(environment.connections).toEqual(acme.developmentConnections);
    expect(Object.isFrozen(environment.connections[0])).toBe(true);
  });

  it('onboards connections from <SYSTEM>_CONNECTIONS alone, with the shared variables and settings', () => {
    const environment = loadProviderEnvironment(acme, {
      ACME_CONNECTIONS: JSON.stringify([entry]),
      PROVIDER_DEADLINE_MS: '3000',
      PORT: '0',
      ACME_POLL_MS: '5000',
    });
    expect(environment.connections).toEqual([entry]);
    expect(environment.providerDeadlineMs).toBe(3000);
    expect(environment.port).toBe(0);
    expect(environment.settings).toEqual({ pollMs: 5000 });
  });

  it('requires the connection list in production, in the same report as every other problem', () => {
    expect(
      problems({ NODE_ENV: 'production', INTERNAL_SECRET: 'a-production-secret-of-its-own' }),
    ).toEqual(['ACME_CONNECTIONS: required in production']);
    expect(problems({ NODE_ENV: 'production', ACME_POLL_MS: 'soon' })).toEqual(
      expect.arrayContaining([
        'ACME_CONNECTIONS: required in production',
        'INTERNAL_SECRET: production needs its own; the development value is public',
        expect.stringMatching(/^ACME_POLL_MS: /),
      ]),
    );
  });

  it('reports every problem at once, without echoing a value', () => {
    const bad = [
      { ...entry, id: 'Södra', baseUrl: 'ftp://x', apiKey: 'top-secret', deadlineMs: -1 },
      entry,
      // A duplicate is reported also when the duplicate entry is itself invalid.
      { ...entry, apiKey: 42 },
    ];
    const found = problems({ ACME_CONNECTIONS: JSON.stringify(bad), PORT: 'abc' });
    expect(found.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(found.some((p) => p.startsWith('ACME_CONNECTIONS.0.id'))).toBe(true);
    expect(found.some((p) => p.startsWith('ACME_CONNECTIONS.0.baseUrl'))).toBe(true);
    expect(found.some((p) => p.startsWith('ACME_CONNECTIONS.0.deadlineMs'))).toBe(true);
    expect(found.some((p) => p.includes('duplicate id "sodra"'))).toBe(true);
    expect(found.some((p) => p.startsWith('ACME_CONNECTIONS.2.apiKey'))).toBe(true);
    expect(found.join('\n')).not.toContain('top-secret');
  });

  it('refuses a list that is not JSON, or an entry with an unknown field', () => {
    expect(problems({ ACME_CONNECTIONS: '[{' })).toEqual(['ACME_CONNECTIONS: not valid JSON']);
    const misspelt = problems({ ACME_CONNECTIONS: JSON.stringify([{ ...entry, apikey: 'x' }]) });
    expect(misspelt).toHaveLength(1);
    expect(misspelt[0]).toMatch(/^ACME_CONNECTIONS\.0: /);
  });
});
