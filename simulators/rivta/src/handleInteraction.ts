import type {
  BookingRecord,
  CareUnitStore,
  RequestedTimeslot,
  ResultOutcome,
  SubjectOfCareInfo,
} from './createCareUnitStore.js';
import { resultTexts } from './createCareUnitStore.js';
import type { Timeslot } from './generateTimeslots.js';
import type { InteractionName } from './interactions.js';
import { parseDt } from './localTime.js';
import { isValidSubjectOfCareId } from './personnummer.js';
import type { CodeSeed, FacilitySeed } from './seed.js';
import {
  type Content,
  childOf,
  prefixes,
  SoapFault,
  type SoapRequest,
  textOf,
  textsOf,
  type XmlTree,
} from './soapMessages.js';

const { responder: r, core: c, core11: c11 } = prefixes;

/** What a handler needs besides the request: the unit's book and the shared code lists. */
export interface HandlerContext {
  store: CareUnitStore;
  timeTypes: readonly CodeSeed[];
  careTypes: readonly CodeSeed[];
}

const bool = (value: boolean) => (value ? 'true' : 'false');

function facilityOf(store: CareUnitStore, hsaId: string | undefined): FacilitySeed {
  const facility = hsaId ? store.facility(hsaId) : undefined;
  if (!facility) throw new SoapFault('Client', resultTexts.facilityUnknown);
  return facility;
}

/** Reads that name a subject of care refuse an impossible one as a fault: they have no resultCode. */
function requireSubject(subject: string | undefined): string {
  if (!subject || !isValidSubjectOfCareId(subject)) {
    throw new SoapFault('Client', resultTexts.subjectInvalid);
  }
  return subject;
}

/** A timeslot as `TimeslotType`, in the schema's element order; booking fields when booked. */
function timeslotContent(
  slot: Timeslot,
  booking?: { record: BookingRecord; changeAllowed: boolean },
): Content {
  return {
    [`${c}:startTimeInclusive`]: slot.start,
    [`${c}:endTimeExclusive`]: slot.end,
    [`${c}:healthcare_facility`]: slot.facilityHsaId,
    [`${c}:performer`]: slot.performerHsaId,
    [`${c}:bookingId`]: booking?.record.bookingId,
    [`${c}:subject_of_care`]: booking?.record.subjectOfCare,
    [`${c}:purpose`]: booking?.record.purpose,
    [`${c}:reason`]: booking?.record.reason,
    [`${c}:healthcare_facility_name`]: slot.facilityName,
    [`${c}:performerName`]: slot.performerName,
    [`${c}:timeTypeName`]: slot.timeTypeName,
    [`${c}:timeTypeID`]: slot.timeTypeId,
    [`${c}:careTypeName`]: slot.careTypeName,
    [`${c}:careTypeID`]: slot.careTypeId,
    ...(booking && {
      [`${c}:cancel_booking_allowed`]: bool(booking.changeAllowed),
      [`${c}:rebooking_allowed`]: bool(booking.changeAllowed),
      [`${c}:message_allowed`]: 'true',
      [`${c11}:isInvitation`]: 'false',
    }),
  };
}

function bookingContent(store: CareUnitStore, record: BookingRecord): Content {
  return timeslotContent(record.timeslot, { record, changeAllowed: store.changeAllowed(record) });
}

function resultContent(outcome: ResultOutcome, withBookingId: boolean): Content {
  return {
    ...(withBookingId && { [`${r}:bookingId`]: outcome.bookingId }),
    [`${r}:resultCode`]: outcome.resultCode,
    [`${r}:resultText`]: outcome.resultText,
  };
}

function requestedTimeslot(tree: XmlTree): RequestedTimeslot {
  return {
    start: textOf(tree, 'startTimeInclusive'),
    end: textOf(tree, 'endTimeExclusive'),
    healthcareFacility: textOf(tree, 'healthcare_facility') ?? '',
    performer: textOf(tree, 'performer'),
    timeTypeId: textOf(tree, 'timeTypeID'),
    subjectOfCare: textOf(tree, 'subject_of_care'),
    purpose: textOf(tree, 'purpose'),
    reason: textOf(tree, 'reason'),
    bookingId: textOf(tree, 'bookingId'),
  };
}

function subjectInfo(tree: XmlTree | undefined): SubjectOfCareInfo | undefined {
  if (!tree) return undefined;
  return {
    firstName: textOf(tree, 'firstName') ?? '',
    middleName: textOf(tree, 'middleName'),
    lastName: textOf(tree, 'lastName') ?? '',
    phone: textOf(tree, 'phone'),
    email: textOf(tree, 'email'),
    address: textOf(tree, 'address'),
    coaddress: textOf(tree, 'coaddress'),
  };
}

/** The timeslot search shared by GetAvailableDates and GetAvailableTimeslots. */
function searchTimeslots(context: HandlerContext, payload: XmlTree): Timeslot[] {
  const { store } = context;
  const facility = facilityOf(store, textOf(payload, 'healthcare_facility'));
  requireSubject(textOf(payload, 'subject_of_care'));
  const firstDay = parseDt(textOf(payload, 'startDateInclusive') ?? '');
  const lastDay = parseDt(textOf(payload, 'endDateInclusive') ?? '');
  if (!firstDay || !lastDay) throw new SoapFault('Client', 'Ogiltigt datum.');
  const byName = (codes: readonly CodeSeed[], name: string | undefined) =>
    name === undefined
      ? undefined
      : (codes.find((code) => code.name === name)?.id ?? `\u0000${name}`);
  const bookingId = textOf(payload, 'bookingId');
  if (bookingId !== undefined && !store.bookingDetails(facility, bookingId)) {
    throw new SoapFault('Client', resultTexts.bookingUnknown);
  }
  return store.availableTimeslots({
    facility,
    firstDay,
    lastDay,
    performers: textsOf(payload, 'performer'),
    timeTypeId:
      textOf(payload, 'timeTypeID') ?? byName(context.timeTypes, textOf(payload, 'timeTypeName')),
    careTypeId:
      textOf(payload, 'careTypeID') ?? byName(context.careTypes, textOf(payload, 'careTypeName')),
    rebookingOf: bookingId,
  });
}

type Handler = (context: HandlerContext, request: SoapRequest) => Content;

const handlers: Record<InteractionName, Handler> = {
  GetAllHealthcareFacilities({ store }, { payload }) {
    requireSubject(textOf(payload, 'subject_of_care'));
    const facilities = store.facilitiesFor(textOf(payload, 'healthcare_facility') ?? '');
    if (!facilities) throw new SoapFault('Client', resultTexts.facilityUnknown);
    return {
      [`${r}:healthcareFacilityInfos`]: facilities.map((facility) => ({
        [`${c}:healthcare_facility`]: facility.hsaId,
        [`${c}:healthcare_facility_name`]: facility.name,
      })),
    };
  },

  GetAllTimeTypes({ store, timeTypes }, { payload }) {
    const facility = facilityOf(store, textOf(payload, 'healthcare_facility'));
    requireSubject(textOf(payload, 'subject_of_care'));
    const careTypeIds = textsOf(payload, 'careTypeIDs');
    const used = new Set(
      facility.performers.flatMap((p) =>
        p.blocks
          .filter((b) => careTypeIds.length === 0 || careTypeIds.includes(b.careTypeId))
          .map((b) => b.timeTypeId),
      ),
    );
    return {
      [`${r}:ListOfTimeTypes`]: timeTypes
        .filter((code) => used.has(code.id))
        .map((code) => ({ [`${c}:timeTypeName`]: code.name, [`${c}:timeTypeId`]: code.id })),
    };
  },

  GetAllCareTypes({ store, careTypes }, { payload }) {
    const facility = facilityOf(store, textOf(payload, 'healthcare_facility'));
    requireSubject(textOf(payload, 'subject_of_care'));
    const timeTypeIds = textsOf(payload, 'timeTypeIDs');
    const performers = textsOf(payload, 'performer');
    const used = new Set(
      facility.performers
        .filter((p) => performers.length === 0 || performers.includes(p.hsaId))
        .flatMap((p) =>
          p.blocks
            .filter((b) => timeTypeIds.length === 0 || timeTypeIds.includes(b.timeTypeId))
            .map((b) => b.careTypeId),
        ),
    );
    return {
      [`${r}:careTypes`]: careTypes
        .filter((code) => used.has(code.id))
        .map((code) => ({ [`${c}:careTypeName`]: code.name, [`${c}:careTypeId`]: code.id })),
    };
  },

  GetAllPerformers({ store }, { payload }) {
    const facility = facilityOf(store, textOf(payload, 'healthcare_facility'));
    requireSubject(textOf(payload, 'subject_of_care'));
    const timeTypeIds = textsOf(payload, 'timeTypeIDs');
    const careTypeIds = textsOf(payload, 'careTypeIDs');
    const performers = facility.performers.filter((p) =>
      p.blocks.some(
        (b) =>
          (timeTypeIds.length === 0 || timeTypeIds.includes(b.timeTypeId)) &&
          (careTypeIds.length === 0 || careTypeIds.includes(b.careTypeId)),
      ),
    );
    return {
      // `perfomer` (sic): the schema's own spelling.
      [`${r}:performerInfos`]: performers.map((p) => ({
        [`${c}:perfomer`]: p.hsaId,
        [`${c}:firstName`]: p.firstName,
        [`${c}:lastName`]: p.lastName,
        [`${c}:title`]: p.title,
      })),
    };
  },

  GetAvailableDates(context, { payload }) {
    const slots = searchTimeslots(context, payload);
    const seen = new Map<string, Timeslot>();
    for (const slot of slots) {
      const day = slot.start.slice(0, 8);
      const key = [slot.performerHsaId, day, slot.timeTypeId, slot.careTypeId].join('|');
      if (!seen.has(key)) seen.set(key, slot);
    }
    return {
      // PerformerAvailabilityByDateType is declared in the responder schema: its children are too.
      [`${r}:performerAvailabilityByDate`]: [...seen.values()].map((slot) => ({
        [`${r}:healthcare_facility`]: slot.facilityHsaId,
        [`${r}:performer`]: slot.performerHsaId,
        [`${r}:date`]: slot.start.slice(0, 8),
        [`${r}:timeTypeName`]: slot.timeTypeName,
        [`${r}:timeTypeID`]: slot.timeTypeId,
        [`${r}:careTypeName`]: slot.careTypeName,
        [`${r}:careTypeID`]: slot.careTypeId,
      })),
    };
  },

  GetAvailableTimeslots(context, { payload }) {
    return {
      [`${r}:timeslotDetail`]: searchTimeslots(context, payload).map((slot) =>
        timeslotContent(slot),
      ),
    };
  },

  MakeBooking({ store }, { payload, actor }) {
    const facility = store.facility(textOf(payload, 'healthcare_facility_med') ?? '');
    if (!facility)
      return resultContent({ resultCode: 'ERROR', resultText: resultTexts.facilityUnknown }, true);
    const timeslot = requestedTimeslot(childOf(payload, 'requestedTimeslot') ?? {});
    // A citizen signed in to book (actor subject_of_care) books for themselves only.
    if (actor?.actorType === 'subject_of_care' && actor.actorId !== timeslot.subjectOfCare) {
      return resultContent({ resultCode: 'ERROR', resultText: resultTexts.actorMismatch }, true);
    }
    return resultContent(
      store.makeBooking({
        facility,
        timeslot,
        subjectInfo: subjectInfo(childOf(payload, 'subject_of_care_info'))!,
        notification: textOf(payload, 'notification'),
      }),
      true,
    );
  },

  UpdateBooking({ store }, { payload }) {
    return resultContent(
      store.updateBooking({
        timeslot: requestedTimeslot(childOf(payload, 'requestedTimeslot') ?? {}),
        subjectInfo: subjectInfo(childOf(payload, 'subject_of_care_info')),
        notification: textOf(payload, 'notification'),
      }),
      false,
    );
  },

  CancelBooking({ store }, { payload }) {
    const facility = store.facility(textOf(payload, 'healthcare_facility') ?? '');
    if (!facility)
      return resultContent({ resultCode: 'ERROR', resultText: resultTexts.facilityUnknown }, false);
    return resultContent(store.cancelBooking(facility, textOf(payload, 'bookingId') ?? ''), false);
  },

  GetBookingDetails({ store }, { payload }) {
    const facility = facilityOf(store, textOf(payload, 'healthcare_facility'));
    // The response demands a timeslotDetail and has no resultCode: an unknown (or cancelled)
    // booking can only be a fault.
    const record = store.bookingDetails(facility, textOf(payload, 'bookingId') ?? '');
    if (!record) throw new SoapFault('Client', resultTexts.bookingUnknown);
    return { [`${r}:timeslotDetail`]: bookingContent(store, record) };
  },

  GetSubjectOfCareSchedule({ store }, { payload }) {
    const subject = requireSubject(textOf(payload, 'subject_of_care'));
    const facilities = store.facilitiesFor(textOf(payload, 'healthcare_facility') ?? '');
    if (!facilities) throw new SoapFault('Client', resultTexts.facilityUnknown);
    return {
      [`${r}:timeslotDetail`]: facilities.flatMap((facility) =>
        store.schedule(facility, subject).map((record) => bookingContent(store, record)),
      ),
    };
  },
};

/** Answers one validated request from the unit's book: the response payload's content. */
export function handleInteraction(
  name: InteractionName,
  context: HandlerContext,
  request: SoapRequest,
): Content {
  return handlers[name](context, request);
}
