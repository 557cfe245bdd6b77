import type { Scope } from '@booking/server-kit';
import type { ReservationManager } from '../manager/createReservationManager.js';
import type { SchedulingManager } from '../manager/createSchedulingManager.js';
import type { Caller } from '../manager/models.js';

/** The GraphQL context of one scheduling request. */
export interface SchedulingContext {
  manager: SchedulingManager;
  reservations: ReservationManager;
  /** Who the request acts for; reservations are visible only to the client that made them. */
  caller: Caller;
  /** What the gateway authenticated the client for; checked again here, where the data lives. */
  scopes: ReadonlySet<Scope>;
}
