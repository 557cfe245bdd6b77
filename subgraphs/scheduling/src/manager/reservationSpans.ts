import { formatTraceparent, parseTraceparent } from '@booking/telemetry';
import {
  type Context,
  context,
  createContextKey,
  type Link,
  type Span,
  SpanStatusCode,
  trace,
} from '@opentelemetry/api';
import type { ReservationRecord } from '../access/ledger/createLedger.js';
import { reservationPublicId } from './reservations/reservationContext.js';

/**
 * What ties one reservation's spans together across traces (see docs/observability.md):
 *
 * - `booking.reservation.id` names the reservation a span is about by its public, opaque id (the
 *   one the API answers with; never patient data), so a search by it finds every span;
 * - the span that created a reservation (its hold, its one-step booking, the reschedule that made
 *   it) is stored with it in the ledger, and every later span about it (confirm, cancel,
 *   reschedule, reconciliation, changes at the clinic, webhooks) links there.
 */
export const reservationIdAttribute = 'booking.reservation.id';

/** On a reschedule's spans: the reservation it made (`booking.reservation.id` is the one moved). */
export const newReservationIdAttribute = 'booking.reservation.new_id';

/** On a link to a reservation's first span: what it did (`hold`, `reserve`, `reschedule`). */
export const linkAttribute = 'booking.link';

const tracer = trace.getTracer('booking.scheduling');

/**
 * A booking mutation's span, and the span that called it (the GraphQL resolver's): what the
 * mutation learns of its reservation is named on both, so that the trace from the gateway
 * carries the id too.
 */
const callerKey = createContextKey('booking.reservation.caller');

interface CallerOf {
  span: Span;
  caller: Span;
}

/** `parent`, extended so that what `nameReservation` names on `span` is named on `caller` too. */
export const namingAlsoOnCaller = (parent: Context, span: Span, caller: Span | undefined) =>
  caller ? parent.setValue(callerKey, { span, caller } satisfies CallerOf) : parent;

/** The traceparent to store with a reservation the active span is creating; null untraced. */
export const originOfNewReservation = (): string | null =>
  formatTraceparent(trace.getActiveSpan()?.spanContext());

/** Names `row` on the active span (and, in a booking mutation, on its caller's). */
export function nameReservation(
  row: Pick<ReservationRecord, 'connection_id' | 'id'>,
  attribute:
    | typeof reservationIdAttribute
    | typeof newReservationIdAttribute = reservationIdAttribute,
): void {
  const span = trace.getActiveSpan();
  if (!span) return;
  const publicId = reservationPublicId(row);
  span.setAttribute(attribute, publicId);
  const called = context.active().getValue(callerKey) as CallerOf | undefined;
  if (called?.span === span) called.caller.setAttribute(attribute, publicId);
}

/**
 * For work on a reservation that exists, known only once its row is read: names it on the
 * active span and links that span to the one that created it. (A link added after the span
 * started is exported like one given at its start; only a sampler would not see it, and the
 * platform samples by parent.)
 */
export function followReservation(row: ReservationRecord): void {
  nameReservation(row);
  const span = trace.getActiveSpan();
  for (const link of originLinks(row)) span?.addLink(link);
}

/** The link to the span that created `row`: none for a row stored without one. */
export function originLinks(
  row: Pick<ReservationRecord, 'origin_traceparent' | 'hold_kind' | 'rescheduled_from'>,
): Link[] {
  const origin = parseTraceparent(row.origin_traceparent);
  if (!origin) return [];
  const createdBy = row.rescheduled_from ? 'reschedule' : row.hold_kind ? 'hold' : 'reserve';
  return [{ context: origin, attributes: { [linkAttribute]: createdBy } }];
}

/**
 * Work on one reservation that no request asked for (the reconciler's): a span `name` starting a
 * trace of its own, naming the reservation and its connection and linked to its first span.
 */
export function inReservationTrace<T>(
  name: string,
  row: ReservationRecord,
  work: (span: Span) => Promise<T>,
): Promise<T> {
  const attributes = {
    'booking.connection': row.connection_id,
    [reservationIdAttribute]: reservationPublicId(row),
  };
  return tracer.startActiveSpan(
    name,
    { root: true, attributes, links: originLinks(row) },
    async (span) => {
      try {
        return await work(span);
      } catch (error) {
        span.setStatus({ code: SpanStatusCode.ERROR });
        throw error;
      } finally {
        span.end();
      }
    },
  );
}
