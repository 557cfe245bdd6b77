import type http from 'node:http';
import type { CareUnitStore } from './createCareUnitStore.js';
import { type Answer, json } from './httpAnswer.js';
import type { SimulatorStats } from './server.js';

/** The care units' stores by logical address, the connection ids of the control protocol. */
type Units = ReadonlyMap<string, CareUnitStore>;

/** Bookings made through the protocol, without the patients' identities or names. */
function adminBookings(units: Units, query: URLSearchParams): Answer {
  const wanted = query.get('unit');
  if (wanted !== null && !units.has(wanted)) {
    return json(404, { error: 'not_found', message: `Unknown unit ${wanted}.` });
  }
  const bookings = [...units.entries()]
    .filter(([address]) => wanted === null || address === wanted)
    .flatMap(([address, store]) =>
      store.allBookings().map((record) => ({
        unit: address,
        bookingId: record.bookingId,
        status: record.status,
        healthcareFacility: record.timeslot.facilityHsaId,
        performer: record.timeslot.performerHsaId,
        start: record.timeslot.start,
        end: record.timeslot.end,
        timeTypeId: record.timeslot.timeTypeId,
        purpose: record.purpose ?? null,
        createdAt: record.createdAt,
      })),
    );
  return json(200, { bookings });
}

/**
 * The simulator's own `/_admin/` endpoints, beside the kit's control protocol: the bookings
 * (`GET bookings?unit=`) and what the simulator has seen (`GET stats`).
 */
export function routeOwnAdmin(
  units: Units,
  stats: SimulatorStats,
  req: http.IncomingMessage,
  action: string,
  query: URLSearchParams,
): Answer {
  switch (`${req.method} ${action}`) {
    case 'GET bookings':
      return adminBookings(units, query);
    case 'GET stats':
      return json(200, stats);
    default:
      return json(404, { error: 'not_found', message: 'No such admin endpoint.' });
  }
}
