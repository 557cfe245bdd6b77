import { context, SpanStatusCode, trace } from '@opentelemetry/api';
import type { SchedulingMetrics } from '../schedulingMetrics.js';
import type { ReservationManager } from './createReservationManager.js';
import type { BookingOutcome } from './models.js';
import { namingAlsoOnCaller } from './reservationSpans.js';

const tracer = trace.getTracer('booking.scheduling');

/** The booking mutations, by the manager's method names. */
const operations = ['hold', 'confirm', 'reserve', 'cancel', 'reschedule'] as const;

/** What a booking mutation came to: the status the reservation reached, or the typed failure. */
export function bookingOutcomeOf(outcome: BookingOutcome): string {
  return outcome.__typename === 'ReservationResult'
    ? outcome.reservation.status
    : outcome.__typename;
}

/**
 * The reservation manager with each booking mutation traced as a `reservation.<operation>` span
 * (its outcome, provider connection and reservation id, with a link to the reservation's first
 * span: `reservationSpans.ts`; nothing of the patient) and counted in `booking.reservations` by
 * operation and outcome. The reservation id is named on the caller's span (the GraphQL
 * resolver's) as well.
 */
export function instrumentReservations(
  manager: ReservationManager,
  metrics: Pick<SchedulingMetrics, 'reservation'>,
): ReservationManager {
  const instrumented = { ...manager };
  for (const operation of operations) {
    const run = manager[operation] as (...args: unknown[]) => Promise<BookingOutcome>;
    instrumented[operation] = ((...args: unknown[]) => {
      const caller = trace.getActiveSpan();
      return tracer.startActiveSpan(`reservation.${operation}`, async (span) => {
        try {
          const result = await context.with(
            namingAlsoOnCaller(context.active(), span, caller),
            () => run(...args),
          );
          const outcome = bookingOutcomeOf(result);
          span.setAttribute('booking.reservation.outcome', outcome);
          if (result.__typename === 'ReservationResult') {
            span.setAttribute('booking.connection', result.reservation.connectionId);
          }
          metrics.reservation(operation, outcome);
          return result;
        } catch (error) {
          span.setStatus({ code: SpanStatusCode.ERROR });
          metrics.reservation(operation, 'INTERNAL_ERROR');
          throw error;
        } finally {
          span.end();
        }
      });
    }) as never;
  }
  return instrumented;
}
