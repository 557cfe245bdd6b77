import type { TestContext } from 'vitest';
import type { RunningProvider } from './providerUnderTest.js';

/** The suite's patient: a test personal identity number, never logged by the kit. */
export const testPatient = {
  personalIdentityNumber: '199001010017',
  givenName: 'Test',
  familyName: 'Patient',
};

export interface Slot {
  id: string;
  clinicId: string;
  start: string;
  end: string;
  treatmentIds: string[];
  practitioner: { id: string; name: string } | null;
  bookingUrl: string | null;
  capacity: number | null;
}
export interface Connection {
  id: string;
  system: string;
  name: string;
  capabilities: string[];
  holdTtlSeconds: number | null;
  unavailableReason: string | null;
  clinics: {
    id: string;
    name: string;
    timeZone: string;
    treatmentIds: string[];
    location: { latitude: number; longitude: number } | null;
  }[];
  treatments: { id: string; providerCode: string; name: string }[];
}
export interface BookingResult {
  booking: {
    reservationId: string;
    slotId: string;
    status: string;
    providerReference: string;
    expiresAt: string | null;
    start?: string | null;
    end?: string | null;
  } | null;
  error: { code: string; message: string; field: string | null; bookingUrl: string | null } | null;
}

/** A look-up by reservation id: `booking` exactly when `FOUND`, `reason` for `UNKNOWN`. */
export interface BookingLookup {
  status: 'FOUND' | 'NOT_BOOKED' | 'UNKNOWN';
  booking: BookingResult['booking'];
  reason: string | null;
}

export const slotFields =
  'id clinicId start end treatmentIds practitioner { id name } bookingUrl capacity';
export const resultFields =
  'booking { reservationId slotId status providerReference expiresAt } error { code message field bookingUrl }';

/** A GraphQL answer as the provider subgraph sends it. */
export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: {
    message: string;
    extensions?: { code?: string; retryAfterSeconds?: number };
  }[];
}

/** A failed answer's errors as `CODE: message` lines, for an assertion's message. */
export function errorsOf(answer: GraphQLAnswer<unknown>): string {
  return (answer.errors ?? [])
    .map((error) => `${error.extensions?.code ?? 'ERROR'}: ${error.message}`)
    .join('\n');
}

export type MutationName = 'contractHold' | 'contractBook' | 'contractConfirm' | 'contractCancel';

/** What the suite's parts share: the provider it runs against and the calls it makes. */
export interface SuiteContext {
  readonly system: string;
  /** The provider's "now" that searches are placed relative to. */
  readonly now: Date;
  running(): RunningProvider;
  connections(): readonly Connection[];
  graphql<T>(
    query: string,
    variables?: Record<string, unknown>,
    headers?: Record<string, string>,
  ): Promise<GraphQLAnswer<T>>;
  findSlots(
    connectionId: string,
    from: Date,
    to: Date,
    extra?: Record<string, unknown>,
  ): Promise<Slot[]>;
  mutate(name: MutationName, input: object): Promise<BookingResult>;
  slotState(connectionId: string, slotId: string): Promise<string | null>;
  lookUp(connectionId: string, reservationId: string): Promise<BookingLookup>;
  /** A free slot of the connection no other test of the run is handed. */
  freeSlot(connectionId: string): Promise<Slot>;
  /** A fresh reservation id (a UUID). */
  reservationId(): string;
  /** The connections a check applies to; none: the check is skipped with `reason`. */
  applying(context: TestContext, chosen: Connection[], reason: string): Connection[];
  /** The connections with `capability` for a check that writes; skipped when the run must not write. */
  writingWith(context: TestContext, capability: string): Connection[];
}
