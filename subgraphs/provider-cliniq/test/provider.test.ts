import { connectProvider, loadProviderEnvironment } from '@booking/provider-kit';
import { ConfigurationError, createLogger } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { cliniqProvider, simulatorConnections } from '../src/provider.js';

const tenant = {
  id: 'sodra',
  name: 'Södra Vården',
  baseUrl: 'https://cliniq.example/t/sodra/api/v1',
  apiKey: 'k-123',
  holdTtlSeconds: 600,
};

/** The tenants' connections as the service makes them, not started: nothing is asked of Cliniq. */
const connect = (
  connections: Parameters<typeof cliniqProvider.connect>[0][],
  settings = cliniqProvider.settings?.parse({}),
) =>
  connectProvider(
    cliniqProvider,
    { connections, providerDeadlineMs: 1000, settings },
    createLogger({ service: 'test', level: 'silent' }),
  );

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

  it('makes connection cliniq-<id> with the tenant’s deadline and hold lifetime', async () => {
    const provider = connect([
      { ...tenant, deadlineMs: 1500 },
      { ...tenant, id: 'norra' },
    ]);
    expect(provider.connections).toMatchObject([
      { id: 'cliniq-sodra', name: 'Södra Vården', deadlineMs: 1500, holdTtlSeconds: 600 },
      { id: 'cliniq-norra', deadlineMs: 1000, holdTtlSeconds: 600 },
    ]);
    const { holdTtlSeconds: _, ...withoutTtl } = tenant;
    const defaulted = connect([withoutTtl]);
    expect(defaulted.connections[0]!.holdTtlSeconds).toBe(300);
    await Promise.all([provider.close(), defaulted.close()]);
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

  it('polls no changes, and claims no CHANGES, with CLINIQ_CHANGE_POLL_MS=0', async () => {
    const off = connect([tenant], { changePollMs: 0, changePollMaxBackoffMs: 60_000 });
    expect(off.connections[0]!.changes).toBeNull();
    expect(off.changeLogs.size).toBe(0);
    const on = connect([tenant]);
    expect(on.connections[0]!.changes?.position()).toEqual({ sequence: null, epoch: 0 });
    expect([...on.changeLogs.keys()]).toEqual(['cliniq-sodra']);
    await Promise.all([off.close(), on.close()]);
  });
});
