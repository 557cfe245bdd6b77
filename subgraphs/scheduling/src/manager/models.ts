import type { CatalogueTreatment } from '@booking/catalogue';
import type { ContractClinic } from '../access/createProviderDirectory.js';
import type { ReservationRecord } from '../access/ledger/createLedger.js';
import type { ConnectionOutcome } from '../access/slotCache/createSlotLoader.js';
import type { Page } from '../engines/paginate.js';
import type {
  CancelledBy,
  ReservationActor,
  ReservationStatus,
} from '../engines/reservationRules.js';

/** `Provider` in the public API: one provider connection. */
export interface ProviderModel {
  connectionId: string;
  name: string;
  system: string;
  capabilities: readonly string[];
}

/** `Clinic` in the public API. */
export interface ClinicModel {
  connectionId: string;
  clinic: ContractClinic;
  /** Distance from the query's `near` point, when it had one. */
  distanceKm: number | null;
}

/** `Treatment` in the public API: a catalogue entry. */
export type TreatmentModel = CatalogueTreatment;

/** `Slot` in the public API. */
export interface SlotModel {
  /**
   * `connectionId\0localId`: identity and tie-break of the merge. The public id is encoded only for
   * the slots a page returns (`Slot.id`), not for every slot a search finds.
   */
  key: string;
  connectionId: string;
  /** Provider-local ids. */
  localId: string;
  clinicId: string;
  startMs: number;
  endMs: number;
  treatmentIds: readonly string[];
  /** The treatment the search asked for, shown as `Slot.treatment`. */
  requestedTreatmentId: string | null;
  practitioner: { id: string; name: string } | null;
  bookingUrl: string | null;
  available: boolean;
}

/** How one provider answered one search. */
export interface ProviderOutcomeModel extends ConnectionOutcome {
  connectionId: string;
}

export type AvailabilityPage = Page<SlotModel> & { providerOutcomes: ProviderOutcomeModel[] };
export type ClinicPage = Page<ClinicModel>;

/** `Reservation` in the public API. */
export interface ReservationModel {
  /** The ledger's id; `publicId` is the API's (it encodes the provider connection). */
  id: string;
  publicId: string;
  connectionId: string;
  status: ReservationStatus;
  /** The slot, as the ledger snapshotted it (providers stop listing booked slots). */
  slot: SlotModel;
  /** When the hold lapses; null unless the reservation is HELD. */
  expiresAtMs: number | null;
  providerReference: string | null;
  /** The ledger id of the reservation this one replaced. */
  rescheduledFrom: string | null;
  /** Who cancelled it, when CANCELLED. */
  cancelledBy: CancelledBy | null;
  createdAtMs: number;
  updatedAtMs: number;
}

/** A page of `myReservations`. */
export type ReservationPage = Page<ReservationModel>;

/**
 * What a reservation event says happened: the status a client sees it reach, or that the clinic
 * moved it (`MOVED`, its status unchanged).
 */
export type ReservationEventType = Exclude<ReservationStatus, 'PENDING'> | 'MOVED';

/** One change of a reservation, as the event feed and webhooks tell it. */
export interface ReservationEventModel {
  /** Opaque and stable: the same event always has the same id. */
  publicId: string;
  type: ReservationEventType;
  occurredAtMs: number;
  status: Exclude<ReservationStatus, 'PENDING'>;
  previousStatus: ReservationStatus | null;
  source: ReservationActor;
  /** The reservation as the ledger holds it now. */
  reservation: ReservationModel;
}

/** A page of `reservationEvents`: no total (a feed only grows), and a cursor to poll from. */
export type ReservationEventPage = Omit<Page<ReservationEventModel>, 'totalCount'>;

/**
 * What a booking mutation returns: the reservation, or one typed expected failure. The same
 * shape (with the reservation replaced by its id) is stored with the idempotency key, so a
 * repeated call returns exactly the first call's answer.
 */
export type BookingOutcome = BookingOutcomeOf<ReservationModel>;

/** A booking mutation's result inside the manager: the reservation as the ledger holds it. */
export type LedgerOutcome = BookingOutcomeOf<ReservationRecord>;

type BookingOutcomeOf<Reservation> =
  | { __typename: 'ReservationResult'; reservation: Reservation }
  | { __typename: 'SlotUnavailable'; message: string; slotId: string }
  | { __typename: 'HoldExpired'; message: string; reservationId: string }
  | { __typename: 'InvalidInput'; message: string; field: string }
  | {
      __typename: 'ProviderUnavailable';
      message: string;
      connectionId: string;
      /** Set when an earlier call with the key is still running: ask again after this long. */
      retryAfterSeconds?: number;
    }
  | { __typename: 'NotCancellable'; message: string; reservationId: string }
  | { __typename: 'IdempotencyConflict'; message: string; idempotencyKey: string }
  | { __typename: 'BookingByLink'; message: string; bookingUrl: string; slotId: string };

/** A `ProviderUnavailable` result before its provider is resolved. */
export type ProviderUnavailableModel = Extract<
  BookingOutcome,
  { __typename: 'ProviderUnavailable' }
>;

/** Who a request acts for, as the gateway authenticated it (see `engines/ownership.ts`). */
export interface Caller {
  /** The client application (a JWT's `client_id`, `azp` or `sub`, or an API key's id). */
  readonly clientId: string;
  /** The signed-in end user it acts for; null for a backend client of the application. */
  readonly subject: string | null;
  /** The `admin` scope: may read and change every client's reservations. */
  readonly admin: boolean;
}
