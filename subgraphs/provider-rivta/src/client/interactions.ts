/** XML namespaces of SOAP 1.1 and of RIV-TA crm:scheduling 1.1 (TD_SCHEDULING_1_1_0_R). */
export const ns = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  /** Core types: TimeslotType, SubjectOfCareType, TS, ... */
  core: 'urn:riv:crm:scheduling:1',
  /** The 1.1 extension elements: firstName, middleName, lastName, isInvitation. */
  core11: 'urn:riv:crm:scheduling:1.1',
  /** RIVTABP21 routing header `LogicalAddress`. */
  registry: 'urn:riv:itintegration:registry:1',
  /** RIVTABP21 `Actor` header. */
  headers: 'urn:riv:interoperability:headers:1',
} as const;

/** The interactions this adapter calls. */
export type InteractionName =
  | 'GetAllHealthcareFacilities'
  | 'GetAllTimeTypes'
  | 'GetAllPerformers'
  | 'GetAvailableTimeslots'
  | 'MakeBooking'
  | 'CancelBooking'
  | 'GetBookingDetails'
  | 'GetSubjectOfCareSchedule';

/** Interactions whose 1.1 revision added elements by `ref` from a namespace of their own. */
const withExtension = new Set<InteractionName>(['GetAllTimeTypes', 'GetAvailableTimeslots']);

/** Namespace of an interaction's request and response elements. */
export const responderNamespace = (name: InteractionName) =>
  `urn:riv:crm:scheduling:${name}Responder:1`;

/** Namespace of an interaction's 1.1 extension elements (`subject_of_care`), when it has one. */
export const extensionNamespace = (name: InteractionName) =>
  withExtension.has(name) ? `urn:riv:crm:scheduling:${name}Responder:1.1` : null;

/** The WSDL's `soapAction`. */
export const soapAction = (name: InteractionName) => `${responderNamespace(name)}:${name}`;

/**
 * The interaction's endpoint below the service platform's base URL, as the national service
 * platform lays them out: `<base>/crm/scheduling/<Interaction>/1/rivtabp21`.
 */
export const endpointPath = (name: InteractionName) => `crm/scheduling/${name}/1/rivtabp21`;

/** Interactions that change the book: never retried, and a lost answer must be reconciled. */
export const writeInteractions: ReadonlySet<InteractionName> = new Set([
  'MakeBooking',
  'CancelBooking',
]);
