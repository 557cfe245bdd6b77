import type { Logger } from '@booking/server-kit';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import type { Dispatcher } from 'undici';
import type { ReservationRecord } from '../access/ledger/createLedger.js';
import {
  type DueDelivery,
  slotOpenedType,
  type WebhookStore,
} from '../access/webhooks/createWebhookStore.js';
import { type SendOutcome, sendWebhook } from '../access/webhooks/sendWebhook.js';
import type { PatientCipher } from '../engines/createPatientCipher.js';
import { encodeGlobalId, watchSpace } from '../engines/globalId.js';
import { eventActor, type ReservationStatus } from '../engines/reservationRules.js';
import {
  failedTooLong,
  nextAttemptAt,
  type ReservationWebhook,
  type RetryPolicy,
  type SlotOpenedWebhook,
} from '../engines/webhookRules.js';
import type { SchedulingMetrics } from '../schedulingMetrics.js';
import { originLinks, reservationIdAttribute } from './reservationSpans.js';
import { toReservationModel } from './reservations/getReservation.js';
import { reservationPublicId } from './reservations/reservationContext.js';

export interface WebhookDeliveryOptions {
  store: WebhookStore;
  cipher: PatientCipher;
  logger: Logger;
  metrics?: Pick<SchedulingMetrics, 'webhookAttempt'>;
  now: () => number;
  policy: RetryPolicy;
  /** How often the outbox is fanned out and due deliveries are sent. */
  intervalMs: number;
  /** How long an endpoint has to answer. */
  timeoutMs: number;
  /** Where deliveries connect (production: public addresses only). Default: anywhere. */
  dispatcher?: Dispatcher;
  /** Deliveries sent at once. Default: 20. */
  batchSize?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();
const tracer = trace.getTracer('booking.scheduling');

/** The webhook of one slot a watch saw open. */
export function slotOpenedWebhook(
  event: Extract<DueDelivery, { kind: 'availability' }>['event'],
): SlotOpenedWebhook {
  const { connection_id: connectionId, slot } = event;
  return {
    type: slotOpenedType,
    timestamp: event.at.toISOString(),
    data: {
      id: encodeGlobalId('AvailabilityEvent', connectionId, event.id),
      watchId: encodeGlobalId('AvailabilityWatch', watchSpace, event.watch_id),
      slot: {
        id: encodeGlobalId('Slot', connectionId, event.slot_id),
        providerId: encodeGlobalId('Provider', connectionId),
        clinicId: encodeGlobalId('Clinic', connectionId, slot.clinicId),
        start: iso(Date.parse(slot.start)),
        end: iso(Date.parse(slot.end)),
        treatmentIds: slot.treatmentIds,
      },
    },
  };
}

/** What a delivery sends: its event's webhook, public ids only, never patient data. */
const webhookOf = (due: DueDelivery) =>
  due.kind === 'availability'
    ? slotOpenedWebhook(due.event)
    : reservationWebhook(due.event, due.reservation);

/** The webhook of one reservation event: public ids only, never patient data. */
export function reservationWebhook(
  event: Extract<DueDelivery, { kind: 'reservation' }>['event'],
  reservation: ReservationRecord,
): ReservationWebhook {
  const model = toReservationModel(reservation);
  const { slot } = model;
  return {
    type: event.type,
    timestamp: event.at.toISOString(),
    data: {
      id: encodeGlobalId('ReservationEvent', reservation.connection_id, event.id),
      status: event.to_status as Exclude<ReservationStatus, 'PENDING'>,
      previousStatus: event.previous_status,
      source: eventActor(event.operation, event.detail),
      reservation: {
        id: model.publicId,
        status: model.status,
        cancelledBy: model.cancelledBy,
        providerReference: model.providerReference,
        slot: {
          id: encodeGlobalId('Slot', slot.connectionId, slot.localId),
          providerId: encodeGlobalId('Provider', slot.connectionId),
          clinicId: encodeGlobalId('Clinic', slot.connectionId, slot.clinicId),
          start: iso(slot.startMs),
          end: iso(slot.endMs),
        },
        createdAt: iso(model.createdAtMs),
        updatedAt: iso(model.updatedAtMs),
      },
    },
  };
}

/**
 * The webhook worker: fans the outbox (every reservation event) out to deliveries, then sends the
 * due ones, signed, each until its endpoint answers 2xx — at least once, per reservation in order,
 * retried with exponential backoff and jitter for about a day and a half, its endpoint disabled
 * when it failed for days. All its state is in the ledger, so it survives a restart of every
 * process, and several instances share the work without sending one delivery twice at once (a
 * claim is a lease; a delivery whose sender died is sent again when the lease ends).
 */
export function createWebhookDelivery(options: WebhookDeliveryOptions) {
  const { store, cipher, logger, metrics, now, policy } = options;
  const batchSize = options.batchSize ?? 20;
  // A claim outlives the attempt it is for: an endpoint's whole timeout and then some.
  const leaseMs = options.timeoutMs * 2 + 5_000;
  let timer: NodeJS.Timeout | undefined;
  let round: Promise<void> | null = null;
  let again = false;
  let stopped = false;
  let wakeTimer: NodeJS.Timeout | undefined;

  /**
   * One attempt, traced as `webhook.deliver` (endpoint, event type, attempt, outcome; for a
   * reservation's event, its id and a link to its first span).
   */
  function attempt(due: DueDelivery): Promise<void> {
    const about = due.kind === 'reservation' ? due.reservation : null;
    const attributes = {
      'booking.webhook.endpoint': due.endpoint.id,
      'booking.webhook.event_type': due.kind === 'availability' ? slotOpenedType : due.event.type,
      'booking.webhook.attempt': due.delivery.attempts,
      ...(about && { [reservationIdAttribute]: reservationPublicId(about) }),
    };
    const links = about ? originLinks(about) : [];
    return tracer.startActiveSpan('webhook.deliver', { attributes, links }, async (span) => {
      try {
        const delivered = await send(due);
        span.setAttribute('booking.webhook.outcome', delivered ? 'DELIVERED' : 'FAILED');
        if (!delivered) span.setStatus({ code: SpanStatusCode.ERROR });
      } finally {
        span.end();
      }
    });
  }

  /** Sends a delivery and records how it went; answers whether the endpoint took it. */
  async function send(due: DueDelivery): Promise<boolean> {
    let sent: SendOutcome;
    try {
      const payload = webhookOf(due);
      sent = await sendWebhook(
        {
          url: due.endpoint.url,
          secret: cipher.decrypt<string>(due.endpoint.secret_sealed),
          id: payload.data.id,
          timestamp: new Date(now()),
          body: JSON.stringify(payload),
        },
        { timeoutMs: options.timeoutMs, dispatcher: options.dispatcher },
      );
    } catch (error) {
      // Not sent (a secret sealed with another key, say): a failed attempt like any other, so
      // it is retried, then FAILED, and never holds the reservation's later events for good.
      logger.error(
        { delivery: due.delivery.id, err: (error as Error).message },
        'a webhook could not be prepared',
      );
      sent = { delivered: false, status: null, error: 'the platform could not prepare it' };
    }
    const attempts = due.delivery.attempts;
    const lagMs = now() - due.event.at.getTime();
    metrics?.webhookAttempt(sent.delivered ? 'DELIVERED' : 'FAILED', lagMs);
    if (sent.delivered) {
      await store.recordAttempt(due, sent);
      return true;
    }
    const failingSince = due.endpoint.failing_since?.getTime() ?? now();
    const disable = failedTooLong(policy, failingSince, now())
      ? `every delivery failed since ${iso(failingSince)}`
      : null;
    const retryAt = nextAttemptAt(policy, attempts, now());
    await store.recordAttempt(due, { ...sent, retryAt, disable });
    const fields = {
      endpoint: due.endpoint.id,
      delivery: due.delivery.id,
      attempts,
      status: sent.status,
      error: sent.error,
    };
    if (disable) logger.error(fields, 'webhook endpoint disabled: it failed for too long');
    else if (!retryAt) logger.error(fields, 'webhook delivery failed for good');
    else logger.warn({ ...fields, retryAt: retryAt.toISOString() }, 'webhook delivery failed');
    return false;
  }

  async function runOnce(): Promise<void> {
    while ((await store.fanOut(500)) + (await store.fanOutSlotsOpened(500)) > 0) {
      // Until both outboxes are drained.
    }
    for (;;) {
      const due = await store.claimDue(batchSize, leaseMs);
      if (due.length === 0) return;
      await Promise.all(
        due.map((delivery) =>
          attempt(delivery).catch((error: unknown) =>
            logger.error(
              { delivery: delivery.delivery.id, err: (error as Error).message },
              'sending a webhook failed',
            ),
          ),
        ),
      );
    }
  }

  /** One round (fan out, then send what is due) unless one is running; then one more after it. */
  function tick(): Promise<void> {
    if (stopped) return Promise.resolve();
    if (round) {
      again = true;
      return round;
    }
    round = runOnce()
      .catch((error: unknown) =>
        logger.error({ err: (error as Error).message }, 'the webhook round failed'),
      )
      .finally(() => {
        round = null;
        if (again) {
          again = false;
          void tick();
        }
      });
    return round;
  }

  return {
    tick,
    /**
     * An event was written: fan out and send soon, without waiting for the next round. A burst of
     * transitions (every booking writes one) shares one round, so the booking path pays for a
     * timer, not for a round each.
     */
    wake(): void {
      if (stopped || wakeTimer) return;
      wakeTimer = setTimeout(() => {
        wakeTimer = undefined;
        void tick();
      }, 50);
      wakeTimer.unref();
    },
    start(): void {
      void tick();
      timer = setInterval(() => void tick(), options.intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      stopped = true;
      clearInterval(timer);
      clearTimeout(wakeTimer);
      again = false;
      await round;
    },
  };
}

export type WebhookDelivery = ReturnType<typeof createWebhookDelivery>;
