import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { developmentTenants, loadEnvironment } from '../src/environment.js';

const tenant = {
  tenant: 'sodra',
  name: 'Södra Vården',
  baseUrl: 'https://cliniq.example/t/sodra/api/v1',
  apiKey: 'k-123',
  deadlineMs: 1500,
};

function problems(env: Record<string, string>): readonly string[] {
  try {
    loadEnvironment(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadEnvironment', () => {
  it("serves the simulator's two seed tenants by default in development", () => {
    const environment = loadEnvironment({});
    expect(environment).toMatchObject({
      port: 4010,
      host: '127.0.0.1',
      logLevel: 'info',
      providerDeadlineMs: 2000,
    });
    expect(environment.tenants.map((t) => t.tenant)).toEqual(['nordklinik', 'vastkusten']);
    expect(environment.tenants).toEqual(developmentTenants);
  });

  it('onboards tenants from CLINIQ_TENANTS alone', () => {
    const environment = loadEnvironment({
      CLINIQ_TENANTS: JSON.stringify([tenant]),
      PROVIDER_DEADLINE_MS: '3000',
      PORT: '0',
    });
    expect(environment.tenants).toEqual([tenant]);
    expect(environment.providerDeadlineMs).toBe(3000);
    expect(environment.port).toBe(0);
  });

  it('requires CLINIQ_TENANTS in production', () => {
    expect(
      problems({ NODE_ENV: 'production', INTERNAL_SECRET: 'a-production-secret-of-its-own' }),
    ).toEqual(['CLINIQ_TENANTS: required in production']);
    // The development internal secret is public: production refuses it too, in the same report.
    expect(problems({ NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([
        'CLINIQ_TENANTS: required in production',
        'INTERNAL_SECRET: production needs its own; the development value is public',
      ]),
    );
  });

  it('reports every problem at once, without echoing the API key', () => {
    const bad = [
      { ...tenant, baseUrl: 'ftp://x', apiKey: 'top-secret', deadlineMs: -1 },
      tenant,
      tenant,
    ];
    const found = problems({ CLINIQ_TENANTS: JSON.stringify(bad), PORT: 'abc' });
    expect(found.some((p) => p.startsWith('PORT'))).toBe(true);
    expect(found.some((p) => p.startsWith('CLINIQ_TENANTS.0.baseUrl'))).toBe(true);
    expect(found.some((p) => p.startsWith('CLINIQ_TENANTS.0.deadlineMs'))).toBe(true);
    expect(found.some((p) => p.includes('duplicate tenant "sodra"'))).toBe(true);
    expect(found.join('\n')).not.toContain('top-secret');
  });

  it('refuses CLINIQ_TENANTS that is not JSON or has unknown fields', () => {
    expect(problems({ CLINIQ_TENANTS: '[{' })).toEqual(['CLINIQ_TENANTS: not valid JSON']);
    expect(problems({ CLINIQ_TENANTS: JSON.stringify([{ ...tenant, apikey: 'x' }]) })).toHaveLength(
      1,
    );
  });
});
