import { findTreatment } from '@booking/catalogue';
import { allows, Scope } from '@booking/server-kit';
import type { Resolvers } from '../__generated__/resolvers.js';
import { formatInstant } from '../engines/dateTime.js';
import { decodeGlobalId, encodeGlobalId } from '../engines/globalId.js';
import { forbidden } from '../errors.js';
import type { BookingOutcome, ReservationModel, SlotModel } from '../manager/models.js';
import type { SchedulingContext } from './context.js';
import { dateTimeScalar } from './dateTimeScalar.js';

const zoneOf = (slot: SlotModel, context: SchedulingContext) =>
  context.manager.clinicAt(slot.connectionId, slot.clinicId)?.clinic.timeZone ?? 'Europe/Stockholm';

/** Slots' public ids: slot models live as long as their cached cell, and a warm search reuses them. */
const slotIds = new WeakMap<SlotModel, string>();

const resolveOutcomeType = (outcome: { __typename?: string }) => outcome.__typename as never;

/**
 * The managers return one `BookingOutcome` type for every mutation; each mutation's union admits a
 * subset, which the integration tests pin down member by member.
 */
const asResult = (outcome: Promise<BookingOutcome>) => outcome as never;

const reservationZone = (reservation: ReservationModel, context: SchedulingContext) =>
  zoneOf(reservation.slot, context);

/**
 * The gateway checked the client's scopes already; they are checked again here, where the data
 * lives, so that a call which got past the gateway some other way still gets nothing.
 */
function needs(context: SchedulingContext, scope: Scope): SchedulingContext {
  if (!allows(context.scopes, scope)) throw forbidden(scope);
  return context;
}
const read = (context: SchedulingContext) => needs(context, Scope.AvailabilityRead);
const write = (context: SchedulingContext) => needs(context, Scope.ReservationsWrite);

/** Thin resolvers: every decision is in the manager and the engines. */
export const resolvers: Resolvers = {
  DateTime: dateTimeScalar,
  Query: {
    providers: (_root, _args, context) => read(context).manager.providers(),
    clinics: (_root, { filter, first, after }, context) =>
      read(context).manager.clinics(filter, first, after),
    clinic: (_root, { id }, context) => read(context).manager.clinic(id),
    treatments: (_root, _args, context) => [...read(context).manager.treatments()],
    availability: (_root, { filter, first, after }, context) =>
      read(context).manager.availability(filter, first, after),
    slot: (_root, { id }, context) => read(context).manager.slot(id),
    reservation: (_root, { id }, context) =>
      needs(context, Scope.ReservationsRead).reservations.get(context.caller, id),
    myReservations: (_root, { first, after }, context) =>
      needs(context, Scope.ReservationsRead).reservations.mine(context.caller, first, after),
    reservationEvents: (_root, { first, after }, context) =>
      needs(context, Scope.ReservationsRead).reservations.events(context.caller, first, after),
    availabilityWatches: (_root, _args, context) =>
      needs(context, Scope.ReservationsRead).watches.list(context.caller),
    availabilityEvents: (_root, { first, after }, context) =>
      needs(context, Scope.ReservationsRead).watches.events(context.caller, first, after),
    webhookEndpoints: (_root, _args, context) =>
      needs(context, Scope.WebhooksManage).webhooks.list(context.caller),
    webhookDeliveries: (_root, { endpointId, first, after }, context) =>
      needs(context, Scope.WebhooksManage).webhooks.deliveries(
        context.caller,
        endpointId,
        first,
        after,
      ),
  },
  Mutation: {
    holdSlot: (_root, { input }, context) =>
      asResult(write(context).reservations.hold(context.caller, input)),
    confirmReservation: (_root, { input }, context) =>
      asResult(write(context).reservations.confirm(context.caller, input)),
    reserveSlot: (_root, { input }, context) =>
      asResult(write(context).reservations.reserve(context.caller, input)),
    cancelReservation: (_root, { input }, context) =>
      asResult(write(context).reservations.cancel(context.caller, input)),
    rescheduleReservation: (_root, { input }, context) =>
      asResult(write(context).reservations.reschedule(context.caller, input)),
    watchAvailability: (_root, { input }, context) =>
      write(context).watches.watch(context.caller, input),
    cancelAvailabilityWatch: (_root, { id }, context) =>
      write(context).watches.cancel(context.caller, id),
    createWebhookEndpoint: (_root, { input }, context) =>
      needs(context, Scope.WebhooksManage).webhooks.create(context.caller, input),
    updateWebhookEndpoint: (_root, { input }, context) =>
      needs(context, Scope.WebhooksManage).webhooks.update(context.caller, input),
    deleteWebhookEndpoint: (_root, { id }, context) =>
      needs(context, Scope.WebhooksManage).webhooks.remove(context.caller, id),
    redeliverWebhook: (_root, { deliveryId }, context) =>
      needs(context, Scope.WebhooksManage).webhooks.redeliver(context.caller, deliveryId),
    replayWebhooks: (_root, { input }, context) =>
      needs(context, Scope.WebhooksManage).webhooks.replay(context.caller, input),
  },
  HoldSlotResult: { __resolveType: resolveOutcomeType },
  ConfirmReservationResult: { __resolveType: resolveOutcomeType },
  ReserveSlotResult: { __resolveType: resolveOutcomeType },
  CancelReservationResult: { __resolveType: resolveOutcomeType },
  RescheduleReservationResult: { __resolveType: resolveOutcomeType },
  BookingError: { __resolveType: resolveOutcomeType },
  ProviderUnavailable: {
    provider: (outcome, _args, { manager }) =>
      manager.provider(outcome.connectionId) ?? {
        connectionId: outcome.connectionId,
        name: outcome.connectionId,
        system: 'unknown',
        capabilities: [],
      },
  },
  Reservation: {
    __resolveReference: (ref, context) =>
      needs(context, Scope.ReservationsRead).reservations.get(context.caller, String(ref.id)),
    id: (reservation) => reservation.publicId,
    expiresAt: (reservation, _args, context) =>
      reservation.expiresAtMs === null
        ? null
        : formatInstant(reservation.expiresAtMs, reservationZone(reservation, context)),
    rescheduledFrom: (reservation, _args, { reservations, caller }) =>
      reservation.rescheduledFrom
        ? reservations.getByLedgerId(caller, reservation.rescheduledFrom)
        : null,
    createdAt: (reservation, _args, context) =>
      formatInstant(reservation.createdAtMs, reservationZone(reservation, context)),
    updatedAt: (reservation, _args, context) =>
      formatInstant(reservation.updatedAtMs, reservationZone(reservation, context)),
  },
  AvailabilityWatch: {
    id: (watch) => watch.publicId,
    from: (watch) => new Date(watch.fromMs).toISOString(),
    before: (watch) => new Date(watch.beforeMs).toISOString(),
    expiresAt: (watch) => new Date(watch.expiresAtMs).toISOString(),
    createdAt: (watch) => new Date(watch.createdAtMs).toISOString(),
  },
  AvailabilityEvent: {
    id: (event) => event.publicId,
    occurredAt: (event, _args, context) =>
      formatInstant(event.occurredAtMs, zoneOf(event.slot, context)),
  },
  ReservationEvent: {
    id: (event) => event.publicId,
    occurredAt: (event, _args, context) =>
      formatInstant(event.occurredAtMs, reservationZone(event.reservation, context)),
  },
  Provider: {
    __resolveReference: (ref, { manager }) =>
      manager.provider(decodeGlobalId('Provider', String(ref.id), 'id').connectionId),
    id: (provider) => encodeGlobalId('Provider', provider.connectionId),
    status: (provider, _args, { manager }) => manager.providerStatus(provider.connectionId),
    capabilities: (provider) => provider.capabilities as never,
  },
  Clinic: {
    __resolveReference: (ref, { manager }) => manager.clinic(String(ref.id)),
    id: (clinic) => encodeGlobalId('Clinic', clinic.connectionId, clinic.clinic.id),
    name: (clinic) => clinic.clinic.name,
    provider: (clinic, _args, { manager }) => manager.provider(clinic.connectionId)!,
    address: (clinic) => clinic.clinic.address,
    location: (clinic) => clinic.clinic.location,
    timeZone: (clinic) => clinic.clinic.timeZone,
    treatments: (clinic) => clinic.clinic.treatmentIds.flatMap((id) => findTreatment(id) ?? []),
    distanceKm: (clinic) =>
      clinic.distanceKm === null ? null : Math.round(clinic.distanceKm * 100) / 100,
  },
  Treatment: {
    __resolveReference: (ref, { manager }) => manager.treatment(String(ref.id)),
  },
  Slot: {
    __resolveReference: (ref, { manager }) => manager.slot(String(ref.id)),
    id: (slot) => {
      let id = slotIds.get(slot);
      if (id === undefined) {
        id = encodeGlobalId('Slot', slot.connectionId, slot.localId);
        slotIds.set(slot, id);
      }
      return id;
    },
    start: (slot, _args, context) => formatInstant(slot.startMs, zoneOf(slot, context)),
    end: (slot, _args, context) => formatInstant(slot.endMs, zoneOf(slot, context)),
    durationMinutes: (slot) => Math.round((slot.endMs - slot.startMs) / 60_000),
    clinic: (slot, _args, { manager }) => manager.clinicAt(slot.connectionId, slot.clinicId)!,
    treatment: (slot) => {
      const id =
        slot.requestedTreatmentId ?? (slot.treatmentIds.length === 1 ? slot.treatmentIds[0] : null);
      return id ? (findTreatment(id) ?? null) : null;
    },
    treatments: (slot) => slot.treatmentIds.flatMap((id) => findTreatment(id) ?? []),
    practitioner: (slot) =>
      slot.practitioner && {
        id: encodeGlobalId('Practitioner', slot.connectionId, slot.practitioner.id),
        name: slot.practitioner.name,
      },
    provider: (slot, _args, { manager }) => manager.provider(slot.connectionId)!,
    bookingMethod: (slot, _args, { manager }) => manager.bookingMethod(slot.connectionId),
    bookingUrl: (slot) => slot.bookingUrl,
  },
  ProviderOutcome: {
    provider: (outcome, _args, { manager }) => manager.provider(outcome.connectionId)!,
  },
};
