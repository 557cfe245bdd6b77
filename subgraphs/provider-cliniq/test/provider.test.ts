import {
  createCatalogueCache,
  createChangeLog,
  loadProviderEnvironment,
} from '@booking/provider-kit';
import { ConfigurationError, createLogger } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { cliniqProvider, cliniqSettings, simulatorConnections } from '../src/provider.js';

const tenant = {
  id: 'sodra',
  name: 'Södra Vården',
  baseUrl: 'https://cliniq.example/t/sodra/api/v1',
  apiKey: 'k-123',
  holdTtlSeconds: 600,
};

describe('the Cliniq provider definition', () => {
  it("serves the simulator's two tenants by default in development, on port 4010", () => {
    const environment = loadProviderEnvironment(cliniqProvider, {});
    expect(environment.port).toBe(4010);
    expect(environment.connections).toEqual(simulatorConnections('http://127.0.0.1:4101'));
    expect(environment.connections.map((c) => c.id)).toEqual(['nordklinik', 'vastkusten']);
  });

  it('onboards a tenant from CLINIQ_CONNECTIONS: its endpoint, key and hold lifetime', () => {
    const environment = loadProviderEnvironment(cliniqProvider, {
      CLINIQ_CONNECTIONS: JSON.stringify([tenant]),
    });
    expect(environment.connections).toEqual([tenant]);
  });

  it('refuses a tenant without an API key or with a non-HTTP base URL, never echoing the key', () => {
    let caught: unknown;
    try {
      loadProviderEnvironment(cliniqProvider, {
        CLINIQ_CONNECTIONS: JSON.stringify([
          { id: 'a', name: 'A', baseUrl: 'ftp://x', apiKey: 'top-secret' },
          { id: 'b', name: 'B', baseUrl: 'https://cliniq.example/t/b/api/v1' },
        ]),
      });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigurationError);
    const problems = (caught as ConfigurationError).problems;
    expect(problems).toEqual([
      expect.stringMatching(/^CLINIQ_CONNECTIONS\.0\.baseUrl: /),
      expect.stringMatching(/^CLINIQ_CONNECTIONS\.1\.apiKey: /),
    ]);
    expect(problems.join('\n')).not.toContain('top-secret');
  });

  it('makes connection cliniq-<id> with the tenant’s deadline and hold lifetime', () => {
    const connection = cliniqProvider.connect(tenant, {
      id: 'cliniq-sodra',
      deadlineMs: 1500,
      dispatcher: undefined as never,
      settings: cliniqSettings.parse({}),
      logger: createLogger({ service: 'test', level: 'silent' }),
      now: Date.now,
      catalogue: ({ load, label }) =>
        createCatalogueCache({ load, label, refreshMs: 60_000, fetchTimeoutMs: 1500 }),
      changeLog: () => createChangeLog(),
    });
    expect(connection).toMatchObject({
      id: 'cliniq-sodra',
      name: 'Södra Vården',
      deadlineMs: 1500,
      holdTtlSeconds: 600,
    });
  });

  it('polls Cliniq’s changes every 2 s by default, backing off up to a minute, and refuses a bad interval', () => {
    expect(loadProviderEnvironment(cliniqProvider, {}).settings).toEqual({
      changePollMs: 2000,
      changePollMaxBackoffMs: 60_000,
    });
    expect(
      loadProviderEnvironment(cliniqProvider, {
        CLINIQ_CHANGE_POLL_MS: '500',
        CLINIQ_CHANGE_POLL_MAX_BACKOFF_MS: '5000',
      }).settings,
    ).toEqual({ changePollMs: 500, changePollMaxBackoffMs: 5000 });
    expect(() => loadProviderEnvironment(cliniqProvider, { CLINIQ_CHANGE_POLL_MS: '10' })).toThrow(
      ConfigurationError,
    );
  });

  it('polls no changes, and claims no CHANGES, with CLINIQ_CHANGE_POLL_MS=0', () => {
    let changeLogs = 0;
    const connect = (changePollMs: number) =>
      cliniqProvider.connect(tenant, {
        id: 'cliniq-sodra',
        deadlineMs: 1500,
        dispatcher: undefined as never,
        settings: { changePollMs, changePollMaxBackoffMs: 60_000 },
        logger: createLogger({ service: 'test', level: 'silent' }),
        now: Date.now,
        catalogue: ({ load, label }) =>
          createCatalogueCache({ load, label, refreshMs: 60_000, fetchTimeoutMs: 1500 }),
        changeLog: () => {
          changeLogs += 1;
          return createChangeLog();
        },
      });
    expect(connect(0).changes).toBeNull();
    expect(changeLogs).toBe(0);
    expect(connect(2000).changes).not.toBeNull();
    expect(changeLogs).toBe(1);
  });
});
