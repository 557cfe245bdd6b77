import {
  connectProvider,
  environmentProblems,
  loadProviderEnvironment,
  providerVariables,
} from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { type SmartConnection, simulatorConnections, smartProvider } from '../src/provider.js';

const publisher = {
  id: 'region-norr',
  name: 'Region Norr',
  manifestUrl: 'https://slots.example.se/norr/$bulk-publish',
  fileOrigins: ['https://cdn.example.se/some/path'],
};

const problems = (env: Record<string, string>) => environmentProblems(smartProvider, env);

describe('the SMART provider definition', () => {
  it('polls the simulator’s two publishers once a minute by default in development, on port 4013', () => {
    const environment = loadProviderEnvironment(smartProvider, {});
    expect(environment.port).toBe(4013);
    expect(environment.settings).toEqual({
      bookingSource: 'varden',
      minPollIntervalMs: 60_000,
      maxPollIntervalMs: 3_600_000,
      fullSyncIntervalMs: 900_000,
      maxStalenessMs: 900_000,
      pollTimeoutMs: 60_000,
    });
    expect(environment.connections).toEqual(simulatorConnections('http://127.0.0.1:4104'));
    expect(environment.connections.map((c) => c.manifestUrl)).toEqual([
      'http://127.0.0.1:4104/sverige/$bulk-publish',
      'http://127.0.0.1:4104/example/$bulk-publish',
    ]);
  });

  it('reads SMART_CONNECTIONS and its own settings variables', () => {
    expect(providerVariables(smartProvider)).toEqual([
      'NODE_ENV',
      'PORT',
      'HOST',
      'LOG_LEVEL',
      'INTERNAL_SECRET',
      'PROVIDER_DEADLINE_MS',
      'PROVIDER_CATALOGUE_REFRESH_MS',
      'PROVIDER_CHANGES_DATABASE_URL',
      'SMART_CONNECTIONS',
      'SMART_BOOKING_SOURCE',
      'SMART_MIN_POLL_INTERVAL_MS',
      'SMART_MAX_POLL_INTERVAL_MS',
      'SMART_FULL_SYNC_INTERVAL_MS',
      'SMART_MAX_STALENESS_MS',
      'SMART_POLL_TIMEOUT_MS',
    ]);
  });

  it('onboards publishers from SMART_CONNECTIONS alone, file origins reduced to origins', () => {
    const environment = loadProviderEnvironment(smartProvider, {
      SMART_CONNECTIONS: JSON.stringify([publisher]),
      SMART_BOOKING_SOURCE: 'varden-app',
      SMART_MIN_POLL_INTERVAL_MS: '1000',
      SMART_MAX_POLL_INTERVAL_MS: '1000',
    });
    expect(environment.connections).toEqual([
      { ...publisher, fileOrigins: ['https://cdn.example.se'] },
    ]);
    expect(environment.settings).toMatchObject({
      bookingSource: 'varden-app',
      minPollIntervalMs: 1000,
      maxPollIntervalMs: 1000,
    });
  });

  it('requires SMART_CONNECTIONS in production, and nothing else of its own', () => {
    expect(
      problems({ NODE_ENV: 'production', INTERNAL_SECRET: 'a-production-secret-of-its-own' }),
    ).toEqual(['SMART_CONNECTIONS: required in production']);
  });

  it('reports every problem of the publishers and settings at once, never echoing a URL', () => {
    const found = problems({
      SMART_CONNECTIONS: JSON.stringify([
        {
          ...publisher,
          timeZone: 'Mars/Olympus',
          manifestUrl: 'ftp://reader:s3cret@slots.example.se/norr',
        },
        { ...publisher, id: 'region-syd', fileOrigins: ['cdn.example.se'] },
        publisher,
        publisher,
      ]),
      SMART_MIN_POLL_INTERVAL_MS: '10',
      SMART_BOOKING_SOURCE: 'a b',
    });
    expect(found.some((p) => p.startsWith('SMART_CONNECTIONS.0.timeZone'))).toBe(true);
    expect(found.some((p) => p.startsWith('SMART_CONNECTIONS.0.manifestUrl'))).toBe(true);
    expect(found.some((p) => p.startsWith('SMART_CONNECTIONS.1.fileOrigins.0'))).toBe(true);
    expect(found.some((p) => p.includes('duplicate id "region-norr"'))).toBe(true);
    expect(found.some((p) => p.startsWith('SMART_MIN_POLL_INTERVAL_MS'))).toBe(true);
    expect(found.some((p) => p.startsWith('SMART_BOOKING_SOURCE'))).toBe(true);
    expect(found.join('\n')).not.toContain('s3cret');
  });

  it('reports a poll interval that is not a number once, not also as below the minimum', () => {
    expect(problems({ SMART_MAX_POLL_INTERVAL_MS: 'hourly' })).toEqual([
      expect.stringMatching(/^SMART_MAX_POLL_INTERVAL_MS: /),
    ]);
  });

  it('refuses a maximum poll interval below the minimum, alongside other problems', () => {
    expect(
      problems({
        SMART_MIN_POLL_INTERVAL_MS: '120000',
        SMART_MAX_POLL_INTERVAL_MS: '60000',
        SMART_BOOKING_SOURCE: 'a b',
      }),
    ).toEqual([
      expect.stringMatching(/^SMART_BOOKING_SOURCE: /),
      'SMART_MAX_POLL_INTERVAL_MS: must not be below SMART_MIN_POLL_INTERVAL_MS',
    ]);
  });

  it('makes connection smart-<id> with its deadline and a sync that has not polled yet', async () => {
    const [sverige] = simulatorConnections('http://127.0.0.1:4104');
    const connected = connectProvider(
      smartProvider,
      { connections: [sverige!], providerDeadlineMs: 1500 },
      createLogger({ service: 'test', level: 'silent' }),
    );
    const [connection] = connected.adapter.connections as [SmartConnection];
    expect(connection).toMatchObject({
      id: 'smart-sverige',
      name: 'Vårdbokning Sverige',
      deadlineMs: 1500,
    });
    expect(connection.sync.status()).toMatchObject({ settled: false, polls: 0 });
    // Unready until its first poll has ended: it has nothing to answer from yet.
    expect(smartProvider.readiness?.(connection)).toEqual({
      ok: false,
      message: 'first poll in progress',
    });
    await connected.close();
  });
});
