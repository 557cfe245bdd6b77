import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { treatmentCatalogue } from '@booking/catalogue';
import * as kit from '@booking/provider-kit';
import { z } from 'zod';
import { createSquareClient, type SquareClient } from './client/createSquareClient.js';
import { createSquareAdapter } from './createSquareAdapter.js';
import { loadSquareCatalogue, type SquareCatalogue } from './loadSquareCatalogue.js';
import { createSquarePush, type SquarePush } from './push/createSquarePush.js';
import { receiveSquarePush } from './push/receiveSquarePush.js';

/** One Square seller location as a contract connection. */
export interface SquareConnection extends kit.ConnectionConfig {
  readonly client: SquareClient;
  readonly locationId: string;
  /** Square catalogue item id (an APPOINTMENTS_SERVICE) → platform treatment id. */
  readonly treatments: Readonly<Record<string, string>>;
  /** The location, its services and team members, refreshed in the background by the kit. */
  readonly catalogue: kit.CatalogueCache<SquareCatalogue>;
  /** Reservation id → Square booking id: Square cannot be searched by an external reference. */
  readonly reservations: kit.ReservationIndex;
  /**
   * Square's webhooks for this location (booking events, signed), when `SQUARE_PUSH_BASE_URL`
   * says where Square reaches this subgraph; absent, the connection reports no changes.
   */
  readonly push?: SquarePush;
}

const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const treatmentIds = treatmentCatalogue.map((t) => t.id) as [string, ...string[]];

/** A `SQUARE_CONNECTIONS` entry's own fields: one seller location. */
const connectionFields = {
  /** Square's API root, `https://connect.squareup.com`. */
  baseUrl: z.url({ protocol: /^https?$/ }),
  /** The seller's access token, sent as `Authorization: Bearer`. A secret: never logged. */
  accessToken: z.string().min(1),
  /** The seller location this connection books at, e.g. `LSTHSODERMALM01`. */
  locationId: z.string().min(1).max(32),
  /** The seller's services the platform offers: catalogue item id → platform treatment id. */
  treatments: z.record(z.string().min(1), z.enum(treatmentIds)),
  /** Sent as `Square-Version`. Default: `2025-08-20`, the version of the generated client. */
  squareVersion: z.string().regex(isoDate).optional(),
};

/**
 * Where the reservation index lives: PostgreSQL when a URL is set, else append-only files. In
 * production the database is required: a container's files neither outlive it nor are shared.
 *
 * Where Square sends webhooks: `SQUARE_PUSH_BASE_URL`, this subgraph's public base URL (Square
 * POSTs to `<base>/push/<connection id>`). Unset, connections report no changes. Outside
 * production, a process given its `PORT` (as `npm start` gives every service) defaults it to
 * `http://127.0.0.1:<PORT>`, where the simulator reaches it. Square itself takes only HTTPS
 * notification URLs; the simulator (and the compose stack's containers) take HTTP too.
 */
export const squareSettings = kit
  .requiredInProduction('SQUARE_RESERVATIONS_DATABASE_URL', {
    SQUARE_RESERVATIONS_DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
    SQUARE_RESERVATIONS_DIR: z.string().min(1).default(join(tmpdir(), 'provider-square')),
    SQUARE_PUSH_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
    /** How far a webhook's `created_at` may be from now before it is refused as a replay. */
    SQUARE_PUSH_MAX_AGE_MS: z.coerce
      .number()
      .int()
      .min(1000)
      .max(7 * 86_400_000)
      .default(86_400_000),
    PORT: z.string().optional(),
  })
  .transform(({ PORT, ...settings }) => ({
    ...settings,
    SQUARE_PUSH_BASE_URL:
      settings.SQUARE_PUSH_BASE_URL ??
      (settings.NODE_ENV === 'production' || !PORT || PORT === '0'
        ? undefined
        : `http://127.0.0.1:${PORT}`),
  }));

/**
 * The simulator's location with physiotherapy (Rörelse Södermalm, `simulators/square`) at
 * `baseUrl`. Its Kungsholmen location offers only massage, which the catalogue lacks.
 */
export function simulatorConnections(baseUrl: string): kit.EntryOf<typeof connectionFields>[] {
  const physiotherapy = 'physiotherapy';
  const treatments = {
    ITFYSNYBESOK0000000001: physiotherapy,
    ITFYSATERBESOK00000001: physiotherapy,
  };
  const accessToken = 'EAAAdev-rorelse-fysioterapi';
  const entry = { id: 'sodermalm', name: 'Rörelse Södermalm', locationId: 'LSTHSODERMALM01' };
  return [{ ...entry, baseUrl: baseUrl.replace(/\/+$/, ''), accessToken, treatments }];
}

/**
 * Square Appointments: one connection per seller location, spoken through the client generated
 * from Square's OpenAPI document, mapped to the contract by the adapter.
 */
export const squareProvider = kit.defineProvider({
  system: 'square',
  port: 4014,
  connectionFields,
  developmentConnections: simulatorConnections('http://127.0.0.1:4105'),
  settings: squareSettings,
  connect: (entry, context): SquareConnection => {
    const { id, deadlineMs, dispatcher, settings, now, catalogue } = context;
    const { locationId, treatments } = entry;
    const squareVersion = entry.squareVersion ?? '2025-08-20';
    const client = createSquareClient({ ...entry, squareVersion, dispatcher, now });
    const baseUrl = settings.SQUARE_PUSH_BASE_URL;
    const push =
      baseUrl === undefined
        ? undefined
        : createSquarePush({
            connectionId: id,
            baseUrl,
            client,
            squareVersion,
            // Asked for only when pushes can come: it gives the connection the CHANGES capability.
            changes: context.changeLog(),
            maxAgeMs: settings.SQUARE_PUSH_MAX_AGE_MS,
            deadlineMs,
            now,
            logger: context.logger,
          });
    return {
      id,
      name: entry.name,
      deadlineMs,
      locationId,
      treatments,
      client,
      catalogue: catalogue({
        load: (budget) => loadSquareCatalogue({ client, locationId, treatments }, budget),
        label: 'Square catalogue (location, services, team members)',
      }),
      reservations: kit.openReservationIndex({
        connectionId: id,
        databaseUrl: settings.SQUARE_RESERVATIONS_DATABASE_URL,
        directory: settings.SQUARE_RESERVATIONS_DIR,
      }),
      ...(push && { push }),
    };
  },
  adapter: (connections) => createSquareAdapter(connections),
  start: (connection) => connection.push?.start(),
  async stop(connection) {
    await connection.push?.stop();
    await connection.reservations.close();
  },
  receivePush: receiveSquarePush,
});
