import { XMLBuilder } from 'fast-xml-parser';
import {
  extensionNamespace,
  type InteractionName,
  ns,
  responderNamespace,
} from './interactions.js';

/** The prefixes this adapter writes; any producer must accept any prefixes. */
const prefix = {
  envelope: 'soapenv',
  registry: 'itr',
  headers: 'ih',
  responder: 'tjsr',
  core: 'core',
  core11: 'core11',
  extension: 'ext',
} as const;

/** Element content: name (with prefix) → text, nested content or a list of either. */
type Content = { [name: string]: string | Content | readonly (string | Content)[] | undefined };

/** The `Actor` header: who books, when it is the patient (or their agent) acting. */
export interface Actor {
  actorId: string;
  actorType: 'subject_of_care' | 'subject_of_care_agent';
}

/** `SubjectOfCareType`: the patient's contact details and names (no identity number: that is in the timeslot). */
export interface SubjectOfCareInfo {
  phone?: string | undefined;
  email?: string | undefined;
  firstName: string;
  lastName: string;
}

/** The facility asked about and the patient every 1.1 read demands. */
interface FacilityAndSubject {
  healthcareFacility: string;
  /** The 12-digit personnummer or samordningsnummer. */
  subjectOfCare: string;
}

/** A booking at a facility. */
interface FacilityAndBooking {
  healthcareFacility: string;
  bookingId: string;
}

/** Every request this adapter sends, by interaction. */
export interface Requests {
  GetAllHealthcareFacilities: FacilityAndSubject;
  GetAllTimeTypes: FacilityAndSubject;
  GetAllPerformers: FacilityAndSubject;
  GetAvailableTimeslots: FacilityAndSubject & {
    /** Local dates `YYYYMMDD`, both inclusive. */
    startDateInclusive: string;
    endDateInclusive: string;
    performers?: readonly string[] | undefined;
    timeTypeId?: string | undefined;
  };
  /** The timeslot MakeBooking's `requestedTimeslot` names; times are the producer's `TS` strings. */
  MakeBooking: FacilityAndSubject & {
    startTimeInclusive: string;
    endTimeExclusive: string;
    performer?: string | undefined;
    timeTypeId?: string | undefined;
    /** Carried in the timeslot's `purpose`: the producer stores it and shows it again. */
    purpose?: string | undefined;
    reason?: string | undefined;
    subject: SubjectOfCareInfo;
    notification?: string | undefined;
  };
  CancelBooking: FacilityAndBooking & { message?: string | undefined };
  GetBookingDetails: FacilityAndBooking;
  GetSubjectOfCareSchedule: FacilityAndSubject;
}

const t = (local: string) => `${prefix.responder}:${local}`;
const c = (local: string) => `${prefix.core}:${local}`;
const c11 = (local: string) => `${prefix.core11}:${local}`;
const x = (local: string) => `${prefix.extension}:${local}`;

/** `healthcare_facility` and `subject_of_care`, the latter as `name` writes it. */
const facilityAndSubject =
  (name: (local: string) => string) =>
  (r: FacilityAndSubject): Content => ({
    [t('healthcare_facility')]: r.healthcareFacility,
    [name('subject_of_care')]: r.subjectOfCare,
  });

/** `healthcare_facility`, `bookingId` and, when given, CancelBooking's `message`. */
const facilityAndBooking = (r: FacilityAndBooking & { message?: string | undefined }) => ({
  [t('healthcare_facility')]: r.healthcareFacility,
  [t('bookingId')]: r.bookingId,
  [t('message')]: r.message,
});

/** Each payload's children in the order its schema's `xs:sequence` demands. */
const payloads: { [N in InteractionName]: (request: Requests[N]) => Content } = {
  GetAllHealthcareFacilities: facilityAndSubject(t),
  // The 1.1 revision added `subject_of_care` by ref, so it is in the extension namespace.
  GetAllTimeTypes: facilityAndSubject(x),
  GetAllPerformers: facilityAndSubject(t),
  GetAvailableTimeslots: (r) => ({
    [t('healthcare_facility')]: r.healthcareFacility,
    [t('startDateInclusive')]: r.startDateInclusive,
    [t('endDateInclusive')]: r.endDateInclusive,
    [t('performer')]: r.performers?.length ? r.performers : undefined,
    [t('timeTypeID')]: r.timeTypeId,
    [x('subject_of_care')]: r.subjectOfCare,
  }),
  MakeBooking: (r) => ({
    [t('healthcare_facility_med')]: r.healthcareFacility,
    [t('requestedTimeslot')]: {
      [c('startTimeInclusive')]: r.startTimeInclusive,
      [c('endTimeExclusive')]: r.endTimeExclusive,
      [c('healthcare_facility')]: r.healthcareFacility,
      [c('performer')]: r.performer,
      [c('subject_of_care')]: r.subjectOfCare,
      [c('purpose')]: r.purpose,
      [c('reason')]: r.reason,
      [c('timeTypeID')]: r.timeTypeId,
    },
    [t('subject_of_care_info')]: {
      [c('phone')]: r.subject.phone,
      [c('email')]: r.subject.email,
      [c11('firstName')]: r.subject.firstName,
      [c11('lastName')]: r.subject.lastName,
    },
    [t('notification')]: r.notification,
  }),
  CancelBooking: facilityAndBooking,
  GetBookingDetails: facilityAndBooking,
  GetSubjectOfCareSchedule: facilityAndSubject(t),
};

/** Drops `undefined` members so that optional elements are left out, keeping the order. */
function compact(content: Content): Content {
  const result: Content = {};
  for (const [key, value] of Object.entries(content)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      result[key] = value.map((item) => (typeof item === 'string' ? item : compact(item)));
    } else result[key] = typeof value === 'object' ? compact(value as Content) : value;
  }
  return result;
}

// The builder escapes `&`, `<`, `>` and quotes in text: patient names are written as given.
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@_' });

/**
 * A RIVTABP21 request: a SOAP 1.1 envelope with the `LogicalAddress` header (the care unit's
 * HSA id, which the service platform routes by), the optional `Actor` header, and the request
 * element of `name` in the body.
 */
export function buildRequestEnvelope<N extends InteractionName>(
  name: N,
  logicalAddress: string,
  request: Requests[N],
  actor?: Actor,
): string {
  const extension = extensionNamespace(name);
  const xml = builder.build({
    [`${prefix.envelope}:Envelope`]: {
      [`@_xmlns:${prefix.envelope}`]: ns.soap,
      [`${prefix.envelope}:Header`]: {
        [`${prefix.registry}:LogicalAddress`]: {
          [`@_xmlns:${prefix.registry}`]: ns.registry,
          '#text': logicalAddress,
        },
        ...(actor && {
          [`${prefix.headers}:Actor`]: {
            [`@_xmlns:${prefix.headers}`]: ns.headers,
            [`${prefix.headers}:actorId`]: actor.actorId,
            [`${prefix.headers}:actorType`]: actor.actorType,
          },
        }),
      },
      [`${prefix.envelope}:Body`]: {
        [t(name)]: {
          [`@_xmlns:${prefix.responder}`]: responderNamespace(name),
          [`@_xmlns:${prefix.core}`]: ns.core,
          [`@_xmlns:${prefix.core11}`]: ns.core11,
          ...(extension && { [`@_xmlns:${prefix.extension}`]: extension }),
          ...compact(payloads[name](request)),
        },
      },
    },
  }) as string;
  return `<?xml version="1.0" encoding="UTF-8"?>${xml}`;
}
