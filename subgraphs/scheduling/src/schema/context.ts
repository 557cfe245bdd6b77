import type { ReservationManager } from '../manager/createReservationManager.js';
import type { SchedulingManager } from '../manager/createSchedulingManager.js';

/** The GraphQL context of one scheduling request. */
export interface SchedulingContext {
  manager: SchedulingManager;
  reservations: ReservationManager;
  /** The client the request acts for; reservations are visible only to the client that made them. */
  clientId: string;
}
