import { ConfigurationError } from '@booking/server-kit';
import { describe, expect, it } from 'vitest';
import { developmentPublishers, loadEnvironment } from '../src/environment.js';

const publisher = {
  publisher: 'region-norr',
  name: 'Region Norr',
  manifestUrl: 'https://slots.example.se/norr/$bulk-publish',
  fileOrigins: ['https://cdn.example.se/some/path'],
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
  it('polls the simulator’s two publishers once a minute by default in development', () => {
    const environment = loadEnvironment({});
    expect(environment).toMatchObject({
      port: 4013,
      bookingSource: 'varden',
      minPollIntervalMs: 60_000,
      maxPollIntervalMs: 3_600_000,
    });
    expect(environment.publishers).toEqual(developmentPublishers);
    expect(environment.publishers.map((p) => p.manifestUrl)).toEqual([
      'http://127.0.0.1:4104/sverige/$bulk-publish',
      'http://127.0.0.1:4104/example/$bulk-publish',
    ]);
  });

  it('onboards publishers from SMART_PUBLISHERS alone, file origins reduced to origins', () => {
    const environment = loadEnvironment({
      SMART_PUBLISHERS: JSON.stringify([publisher]),
      SMART_BOOKING_SOURCE: 'varden-app',
    });
    expect(environment.publishers).toEqual([
      { ...publisher, fileOrigins: ['https://cdn.example.se'] },
    ]);
    expect(environment.bookingSource).toBe('varden-app');
  });

  it('requires SMART_PUBLISHERS in production', () => {
    expect(
      problems({ NODE_ENV: 'production', INTERNAL_SECRET: 'a-production-secret-of-its-own' }),
    ).toEqual(['SMART_PUBLISHERS: required in production']);
    // The development internal secret is public: production refuses it too, in the same report.
    expect(problems({ NODE_ENV: 'production' })).toEqual(
      expect.arrayContaining([
        'SMART_PUBLISHERS: required in production',
        'INTERNAL_SECRET: production needs its own; the development value is public',
      ]),
    );
  });

  it('reports every problem at once', () => {
    const found = problems({
      SMART_PUBLISHERS: JSON.stringify([
        { ...publisher, timeZone: 'Mars/Olympus', manifestUrl: 'ftp://x' },
        publisher,
        publisher,
      ]),
      SMART_MIN_POLL_INTERVAL_MS: '10',
      SMART_BOOKING_SOURCE: 'a b',
    });
    expect(found.some((p) => p.startsWith('SMART_PUBLISHERS.0.timeZone'))).toBe(true);
    expect(found.some((p) => p.startsWith('SMART_PUBLISHERS.0.manifestUrl'))).toBe(true);
    expect(found.some((p) => p.includes('duplicate publisher "region-norr"'))).toBe(true);
    expect(found.some((p) => p.startsWith('SMART_MIN_POLL_INTERVAL_MS'))).toBe(true);
    expect(found.some((p) => p.startsWith('SMART_BOOKING_SOURCE'))).toBe(true);
  });
});
