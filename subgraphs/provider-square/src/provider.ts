import { treatmentCatalogue } from '@booking/catalogue';
import * as kit from '@booking/provider-kit';
import { z } from 'zod';
import { createSquareClient } from './client/createSquareClient.js';
import { createSquareAdapter } from './createSquareAdapter.js';
import { loadSquareCatalogue } from './loadSquareCatalogue.js';
import { createSquareWebhooks } from './push/createSquareWebhooks.js';
import { receiveSquarePush } from './push/receiveSquarePush.js';

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
 * Square's own variable. Where Square sends webhooks (`SQUARE_PUSH_BASE_URL`) and where the
 * reservation index lives (`SQUARE_RESERVATIONS_DATABASE_URL`, `SQUARE_RESERVATIONS_DIR`) are read
 * by the kit.
 */
export const squareSettings = z.object({
  /**
   * How far a webhook's `created_at` may be from now before it is refused as a replay.
   * Default: a day, so Square's own redeliveries after an outage still count.
   */
  SQUARE_PUSH_MAX_AGE_MS: z.coerce
    .number()
    .int()
    .min(1000)
    .max(7 * 86_400_000)
    .default(86_400_000),
});
export type SquareSettings = z.output<typeof squareSettings>;

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

/** One Square seller location as a contract connection. */
function connectSquare(
  entry: kit.EntryOf<typeof connectionFields>,
  context: kit.ConnectContext<SquareSettings>,
) {
  const { id, deadlineMs, dispatcher, now } = context;
  const squareVersion = entry.squareVersion ?? '2025-08-20';
  const client = createSquareClient({ ...entry, squareVersion, dispatcher, now });
  return {
    id,
    name: entry.name,
    deadlineMs,
    locationId: entry.locationId,
    client,
    /** The location, its services and team members, refreshed in the background by the kit. */
    catalogue: context.catalogue({
      load: (budget) => loadSquareCatalogue(client, entry, budget),
      label: 'Square catalogue (location, services, team members)',
    }),
    /** Reservation id → Square booking id: Square cannot be searched by an external reference. */
    reservations: context.reservations(),
    /** Square's webhooks for this location (booking events, signed), when pushes can come. */
    webhooks: createSquareWebhooks(client, squareVersion, context),
  };
}
export type SquareConnection = ReturnType<typeof connectSquare>;

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
  reservationIndex: true,
  connect: connectSquare,
  adapter: createSquareAdapter,
  receivePush: receiveSquarePush,
});
