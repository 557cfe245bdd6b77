import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  connectProvider,
  createCatalogueCache,
  createChangeLog,
  environmentProblems,
  loadProviderEnvironment,
  openReservationIndex,
  providerVariables,
} from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { MockAgent } from 'undici';
import { describe, expect, it } from 'vitest';
import { defaultSeed } from '../../../simulators/rivta/src/server.js';
import { defaultTreatmentMap } from '../src/mapping.js';
import {
  type RivtaConnectionEntry,
  type RivtaSettings,
  rivtaProvider,
  rivtaSettings,
  simulatorConnections,
} from '../src/provider.js';

/** Luhn-valid, born 1980-02-02: not the default identity. */
const agreedSubjectOfCare = '198002029877';

const unit: RivtaConnectionEntry = {
  id: 'nord',
  name: 'Nord',
  baseUrl: 'https://ntjp.example/vp',
  logicalAddress: 'SE2321000099-0001',
  facilities: {
    'SE2321000099-00A1': { name: 'Nord A', address: { line: 'Storgatan 1', city: 'Umeå' } },
  },
  timeTypes: { NYB: 'general-practitioner' },
};

const problems = (env: Record<string, string>) => environmentProblems(rivtaProvider, env);

/** The agreed identity. */
const agreedSettings = rivtaSettings.parse({ RIVTA_SEARCH_SUBJECT_OF_CARE: agreedSubjectOfCare });
/** The reservation indexes' directory, of this file's own. */
const indexDirectory = mkdtempSync(join(tmpdir(), 'rivta-index-'));

/** `rivtaProvider.connect` as the kit calls it, with a dispatcher the test controls. */
function connect(
  entry: RivtaConnectionEntry,
  settings: RivtaSettings,
  dispatcher = new MockAgent(),
) {
  return rivtaProvider.connect(entry, {
    id: `rivta-${entry.id}`,
    deadlineMs: 1500,
    dispatcher,
    settings,
    logger: createLogger({ service: 'test', level: 'silent' }),
    now: Date.now,
    catalogue: ({ load, label }) =>
      createCatalogueCache({ load, label, refreshMs: 60_000, fetchTimeoutMs: 1500 }),
    changeLog: () => createChangeLog(),
    background: () => {
      throw new Error('RIV-TA has no background work');
    },
    pushUrl: undefined,
    reservations: () =>
      openReservationIndex({ connectionId: `rivta-${entry.id}`, directory: indexDirectory }),
  });
}

describe('the RIV-TA provider definition', () => {
  it("serves the simulator's three units behind its platform by default in development, on port 4012", () => {
    const environment = loadProviderEnvironment(rivtaProvider, {});
    expect(environment.port).toBe(4012);
    expect(environment.connections).toEqual(simulatorConnections('http://127.0.0.1:4103'));
    expect(environment.connections.map((c) => c.id)).toEqual([
      'kungsholmen',
      'gottsunda',
      'mollevangen',
    ]);
    expect(environment.connections.map((c) => c.baseUrl)).toEqual(
      Array(3).fill('http://127.0.0.1:4103/vp'),
    );
    expect(environment.settings).toEqual({ RIVTA_SEARCH_SUBJECT_OF_CARE: '191212121212' });
    expect(environment.reservations).toEqual({ databaseUrl: undefined, directory: undefined });
  });

  it("gives addresses to exactly the simulator's units and facilities", () => {
    const connections = simulatorConnections('http://127.0.0.1:4103/');
    expect(connections.map((c) => c.logicalAddress)).toEqual(
      defaultSeed.units.map((u) => u.logicalAddress),
    );
    for (const [index, connection] of connections.entries()) {
      expect(Object.keys(connection.facilities ?? {})).toEqual(
        defaultSeed.units[index]!.facilities.map((f) => f.hsaId),
      );
    }
    expect(connections[0]!.facilities!['SE2321000016-12A1']).toEqual({
      address: { line: 'Fleminggatan 22', postalCode: '112 26', city: 'Stockholm' },
      location: { latitude: 59.3326, longitude: 18.0419 },
    });
  });

  it('onboards a unit from RIVTA_CONNECTIONS, and reads its settings from their variables', () => {
    const environment = loadProviderEnvironment(rivtaProvider, {
      RIVTA_CONNECTIONS: JSON.stringify([unit]),
      RIVTA_SEARCH_SUBJECT_OF_CARE: agreedSubjectOfCare,
      PROVIDER_CATALOGUE_REFRESH_MS: '300000',
    });
    expect(environment.connections).toEqual([unit]);
    expect(environment.catalogueRefreshMs).toBe(300_000);
    expect(environment.settings).toMatchObject({
      RIVTA_SEARCH_SUBJECT_OF_CARE: agreedSubjectOfCare,
    });
  });

  it('reads the connection list, the reservation index and the search identity; the platform is each entry’s own', () => {
    expect(providerVariables(rivtaProvider).slice(-4)).toEqual([
      'RIVTA_CONNECTIONS',
      'RIVTA_RESERVATIONS_DATABASE_URL',
      'RIVTA_RESERVATIONS_DIR',
      'RIVTA_SEARCH_SUBJECT_OF_CARE',
    ]);
    const production = {
      NODE_ENV: 'production',
      INTERNAL_SECRET: 'a-production-secret-of-its-own',
    };
    expect(problems(production)).toEqual([
      'RIVTA_CONNECTIONS: required in production',
      'RIVTA_RESERVATIONS_DATABASE_URL: required in production',
    ]);
    expect(
      problems({
        ...production,
        RIVTA_CONNECTIONS: JSON.stringify([unit]),
        RIVTA_RESERVATIONS_DATABASE_URL: 'postgres://rivta@db.internal/booking',
      }),
    ).toEqual([]);
  });

  it('refuses what RIV-TA cannot use, every problem at once, never echoing the identity', () => {
    const found = problems({
      NODE_ENV: 'production',
      INTERNAL_SECRET: 'a-production-secret-of-its-own',
      RIVTA_SEARCH_SUBJECT_OF_CARE: '191212121213',
      PROVIDER_CATALOGUE_REFRESH_MS: '-1',
      RIVTA_CONNECTIONS: JSON.stringify([
        { id: 'Nord', name: 'Nord', logicalAddress: 'SE1', timeTypes: { A: 'x' } },
        {
          id: 'syd',
          name: 'Syd',
          baseUrl: 'ftp://ntjp.example/vp',
          logicalAddress: '',
          facilities: { 'SE2-A1': { location: { latitude: 91, longitude: 0 } } },
        },
      ]),
    });
    expect(found).toEqual([
      expect.stringMatching(/^PROVIDER_CATALOGUE_REFRESH_MS: /),
      expect.stringMatching(/^RIVTA_CONNECTIONS\.0\.id: /),
      expect.stringMatching(/^RIVTA_CONNECTIONS\.0\.baseUrl: /),
      'RIVTA_CONNECTIONS.0.timeTypes.A: not a catalogue treatment id',
      expect.stringMatching(/^RIVTA_CONNECTIONS\.1\.baseUrl: /),
      expect.stringMatching(/^RIVTA_CONNECTIONS\.1\.logicalAddress: /),
      expect.stringMatching(/^RIVTA_CONNECTIONS\.1\.facilities\.SE2-A1\.location\.latitude: /),
      'RIVTA_SEARCH_SUBJECT_OF_CARE: 12 digits with a valid check digit',
      'RIVTA_RESERVATIONS_DATABASE_URL: required in production',
    ]);
    expect(found.join('\n')).not.toContain('191212121213');
  });

  it('makes connection rivta-<id> with its deadline, facilities, time types and the search identity', () => {
    const connection = connect(unit, agreedSettings);
    expect(connection).toMatchObject({
      id: 'rivta-nord',
      name: 'Nord',
      deadlineMs: 1500,
      logicalAddress: 'SE2321000099-0001',
      facilityDetails: unit.facilities,
      searchSubjectOfCare: agreedSubjectOfCare,
    });
    expect(connection.treatments).toEqual({ ...defaultTreatmentMap, NYB: 'general-practitioner' });
  });

  it('keeps the default settings for a caller that passes none', async () => {
    const logger = createLogger({ service: 'test', level: 'silent' });
    const provider = connectProvider(
      rivtaProvider,
      { connections: [unit], providerDeadlineMs: 1500 },
      logger,
    );
    expect(provider.connections[0]?.searchSubjectOfCare).toBe('191212121212');
    await provider.close();
  });

  it("reads the catalogue at the entry's platform, through the connection's own dispatcher", async () => {
    const dispatcher = new MockAgent();
    dispatcher.disableNetConnect();
    let sent = '';
    dispatcher
      .get('https://ntjp.example')
      .intercept({
        method: 'POST',
        path: '/vp/crm/scheduling/GetAllHealthcareFacilities/1/rivtabp21',
      })
      .reply((request) => {
        sent = String(request.body);
        return { statusCode: 503, data: '' };
      });
    const connection = connect(unit, agreedSettings, dispatcher);
    await expect(connection.catalogue.get(AbortSignal.timeout(1000))).rejects.toThrow();
    dispatcher.assertNoPendingInterceptors();
    expect(sent).toContain('>SE2321000099-0001</');
    expect(sent).toContain(agreedSubjectOfCare);
    await dispatcher.close();
  });
});
