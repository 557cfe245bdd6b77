/** XML namespaces of SOAP 1.1 and of RIV-TA crm:scheduling 1.1 (TD_SCHEDULING_1_1_0_R). */
export const ns = {
  soap: 'http://schemas.xmlsoap.org/soap/envelope/',
  /** Core types: TimeslotType, SubjectOfCareIdType, TS, ... */
  core: 'urn:riv:crm:scheduling:1',
  /** The 1.1 extension elements: firstName, middleName, lastName, isInvitation. */
  core11: 'urn:riv:crm:scheduling:1.1',
  /** RIVTABP21 routing header `LogicalAddress`. */
  registry: 'urn:riv:itintegration:registry:1',
  /** RIVTABP21 `Actor` header: who acts (the patient or an agent). */
  headers: 'urn:riv:interoperability:headers:1',
} as const;

export const interactionNames = [
  'GetAllHealthcareFacilities',
  'GetAllTimeTypes',
  'GetAllCareTypes',
  'GetAllPerformers',
  'GetAvailableDates',
  'GetAvailableTimeslots',
  'MakeBooking',
  'UpdateBooking',
  'CancelBooking',
  'GetBookingDetails',
  'GetSubjectOfCareSchedule',
] as const;

export type InteractionName = (typeof interactionNames)[number];

/** What the WSDL of one interaction fixes: namespaces, SOAPAction, schema file, endpoint path. */
export interface Interaction {
  readonly name: InteractionName;
  /** Namespace of the request and response elements, e.g. `urn:riv:crm:scheduling:MakeBookingResponder:1`. */
  readonly namespace: string;
  /**
   * Namespace of the interaction's 1.1 extension elements (`subject_of_care`, `careTypeIDs`),
   * for the three interactions whose 1.1 revision added them by `ref`.
   */
  readonly extensionNamespace: string | null;
  /** The WSDL's `soapAction`. */
  readonly soapAction: string;
  /** The responder schema, relative to the standards folder. */
  readonly schemaPath: string;
  /** Where the simulator serves it, as the national service platform lays out its URLs. */
  readonly path: string;
}

const withExtension = new Set<InteractionName>([
  'GetAllTimeTypes',
  'GetAvailableDates',
  'GetAvailableTimeslots',
]);

export const interactions: ReadonlyMap<InteractionName, Interaction> = new Map(
  interactionNames.map((name) => {
    const namespace = `urn:riv:crm:scheduling:${name}Responder:1`;
    return [
      name,
      Object.freeze({
        name,
        namespace,
        extensionNamespace: withExtension.has(name) ? `${namespace.slice(0, -2)}:1.1` : null,
        soapAction: `${namespace}:${name}`,
        schemaPath: `interactions/${name}Interaction/${name}Responder_1.1.xsd`,
        path: `/vp/crm/scheduling/${name}/1/rivtabp21`,
      }),
    ];
  }),
);

/** The interaction served at `path`, if any. */
export function interactionAt(path: string): Interaction | undefined {
  const match = /^\/vp\/crm\/scheduling\/([A-Za-z]+)\/1\/rivtabp21$/.exec(path);
  return match ? interactions.get(match[1] as InteractionName) : undefined;
}
