import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { developmentTenants, loadEnvironment } from '../src/environment.js';

const tenant = {
  tenant: 'halsanord',
  name: 'Hälsa Nord',
  baseUrl: 'https://fhir.example/R4',
  organization: 'halsanord',
  accessToken: 'super-secret-token',
};

function problems(env: Record<string, string>): string[] {
  try {
    loadEnvironment(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('loadEnvironment', () => {
  it('defaults to port 4011, a 2 s deadline and the simulator’s two organisations', () => {
    const environment = loadEnvironment({});
    expect(environment).toMatchObject({ port: 4011, host: '127.0.0.1', providerDeadlineMs: 2000 });
    expect(environment.tenants).toEqual(developmentTenants);
    expect(environment.tenants.map((t) => t.baseUrl)).toEqual([
      'http://127.0.0.1:4102/fhir/R4',
      'http://127.0.0.1:4102/fhir/R4',
    ]);
  });

  it('reads FHIR_CONNECTIONS with per-tenant settings', () => {
    const environment = loadEnvironment({
      FHIR_CONNECTIONS: JSON.stringify([
        { ...tenant, holdTtlSeconds: 120, timeZone: 'Europe/Oslo' },
      ]),
    });
    expect(environment.tenants).toEqual([
      { ...tenant, holdTtlSeconds: 120, timeZone: 'Europe/Oslo' },
    ]);
  });

  it('requires FHIR_CONNECTIONS in production', () => {
    expect(
      problems({ NODE_ENV: 'production', INTERNAL_SECRET: 'a-production-secret-of-its-own' }),
    ).toEqual(['FHIR_CONNECTIONS: required in production']);
    // The development internal secret is public: production refuses it too, in the same report.
    expect(problems({ NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([
        'FHIR_CONNECTIONS: required in production',
        'INTERNAL_SECRET: production needs its own; the development value is public',
      ]),
    );
  });

  it('reports every problem at once and never echoes a token', () => {
    const found = problems({
      PORT: 'nope',
      FHIR_CONNECTIONS: JSON.stringify([
        { ...tenant, tenant: 'Bad Name', organization: 'a/b', timeZone: 'Mars/Base' },
        { ...tenant, tenant: 'Bad Name' },
      ]),
    });
    expect(found.length).toBeGreaterThanOrEqual(5);
    expect(found.join('\n')).not.toContain('super-secret-token');
    expect(problems({ FHIR_CONNECTIONS: '{not json' })).toEqual([
      'FHIR_CONNECTIONS: not valid JSON',
    ]);
  });
});
