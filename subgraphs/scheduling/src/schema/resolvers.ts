import { findTreatment } from '@booking/catalogue';
import type { Resolvers } from '../__generated__/resolvers.js';
import { formatInstant } from '../engines/dateTime.js';
import { decodeGlobalId, encodeGlobalId } from '../engines/globalId.js';
import type { SlotModel } from '../manager/models.js';
import type { SchedulingContext } from './context.js';
import { dateTimeScalar } from './dateTimeScalar.js';

const zoneOf = (slot: SlotModel, context: SchedulingContext) =>
  context.manager.clinic(encodeGlobalId('Clinic', slot.connectionId, slot.clinicId))?.clinic
    .timeZone ?? 'Europe/Stockholm';

/** Thin resolvers: every decision is in the manager and the engines. */
export const resolvers: Resolvers = {
  DateTime: dateTimeScalar,
  Query: {
    providers: (_root, _args, { manager }) => manager.providers(),
    clinics: (_root, { filter, first, after }, { manager }) =>
      manager.clinics(filter, first, after),
    clinic: (_root, { id }, { manager }) => manager.clinic(id),
    treatments: (_root, _args, { manager }) => [...manager.treatments()],
    availability: (_root, { filter, first, after }, { manager }) =>
      manager.availability(filter, first, after),
    slot: (_root, { id }, { manager }) => manager.slot(id),
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
    start: (slot, _args, context) => formatInstant(slot.startMs, zoneOf(slot, context)),
    end: (slot, _args, context) => formatInstant(slot.endMs, zoneOf(slot, context)),
    durationMinutes: (slot) => Math.round((slot.endMs - slot.startMs) / 60_000),
    clinic: (slot, _args, { manager }) =>
      manager.clinic(encodeGlobalId('Clinic', slot.connectionId, slot.clinicId))!,
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
    bookingMethod: (slot, _args, { manager }) => {
      const capabilities = manager.provider(slot.connectionId)?.capabilities ?? [];
      return capabilities.includes('DEEP_LINK_ONLY') || !capabilities.includes('API_BOOKING')
        ? 'DEEP_LINK'
        : 'API';
    },
    bookingUrl: (slot) => slot.bookingUrl,
  },
  ProviderOutcome: {
    provider: (outcome, _args, { manager }) => manager.provider(outcome.connectionId)!,
  },
};
