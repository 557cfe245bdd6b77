import { XMLParser } from 'fast-xml-parser';
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest';
import type { InteractionName } from '../src/interactions.js';
import { interactions } from '../src/interactions.js';
import { createRivtaSimulator, type RivtaSimulatorOptions } from '../src/server.js';

/** Monday 2026-10-19 10:00 in Stockholm (CEST): the autumn DST change is six days later. */
export const testNow = '2026-10-19T08:00:00Z';

export const units = {
  kungsholmen: 'SE2321000016-1234',
  gottsunda: 'SE2321000032-5678',
} as const;
export const facilities = {
  kungsholmen: 'SE2321000016-12A1',
  vaccination: 'SE2321000016-12B2',
  gottsunda: 'SE2321000032-56A1',
} as const;

/** Luhn-valid test personnummer: the one the contract suite uses, and another patient. */
export const patient = '199001010017';
export const otherPatient = '198002029877';

export interface SoapResponse {
  status: number;
  text: string;
  /** The body's first element, namespace prefixes removed, every value a string. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read the shape of the answer they expect.
  body: any;
}

const parser = new XMLParser({
  removeNSPrefix: true,
  parseTagValue: false,
  ignoreAttributes: true,
  isArray: (name) =>
    [
      'timeslotDetail',
      'healthcareFacilityInfos',
      'ListOfTimeTypes',
      'careTypes',
      'performerInfos',
      'performerAvailabilityByDate',
    ].includes(name),
});

/** The XML of an envelope around `payload`, with the RIVTABP21 headers. */
export function envelope(
  payload: string,
  logicalAddress: string | null,
  extraHeaders = '',
): string {
  const address =
    logicalAddress === null
      ? ''
      : `<itr:LogicalAddress xmlns:itr="urn:riv:itintegration:registry:1">${logicalAddress}</itr:LogicalAddress>`;
  return `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
  <soapenv:Header>${address}${extraHeaders}</soapenv:Header>
  <soapenv:Body>${payload}</soapenv:Body>
</soapenv:Envelope>`;
}

/** `<tns:Name xmlns:tns=… xmlns:core=… xmlns:core11=…>inner</tns:Name>` for an interaction. */
export function payload(name: InteractionName, inner: string): string {
  const interaction = interactions.get(name)!;
  const ext = interaction.extensionNamespace
    ? ` xmlns:ext="${interaction.extensionNamespace}"`
    : '';
  return `<tns:${name} xmlns:tns="${interaction.namespace}" xmlns:core="urn:riv:crm:scheduling:1" xmlns:core11="urn:riv:crm:scheduling:1.1"${ext}>${inner}</tns:${name}>`;
}

/** Starts a simulator on a free port with a clock the test moves by hand. */
export async function startSimulator(options: RivtaSimulatorOptions = {}) {
  let now = new Date(testNow);
  const clock = {
    now: () => now,
    set(iso: string) {
      now = new Date(iso);
    },
  };
  const simulator = createRivtaSimulator({ clock: clock.now, ...options });
  const url = await simulator.listen(0);

  /** Posts a raw envelope to an interaction's endpoint. */
  async function post(
    name: InteractionName,
    xml: string,
    headers: Record<string, string> = {},
  ): Promise<SoapResponse> {
    const interaction = interactions.get(name)!;
    const res = await fetch(`${url}${interaction.path}`, {
      method: 'POST',
      headers: {
        'content-type': 'text/xml; charset=utf-8',
        soapaction: `"${interaction.soapAction}"`,
        ...headers,
      },
      body: xml,
    });
    const text = await res.text();
    const parsed = text.startsWith('<') ? parser.parse(text) : undefined;
    const bodyElement = parsed?.Envelope?.Body;
    const body = bodyElement ? Object.values(bodyElement)[0] : undefined;
    return { status: res.status, text, body };
  }

  /** Calls an interaction at a logical address with the payload's inner XML. */
  function call(name: InteractionName, inner: string, logicalAddress: string = units.kungsholmen) {
    return post(name, envelope(payload(name, inner), logicalAddress));
  }

  async function admin(method: string, path: string, body?: unknown) {
    const res = await fetch(`${url}/_admin/${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator sent.
    return { status: res.status, body: (await res.json()) as any };
  }

  /** Free timeslots of a facility on local days `first`..`last` (`YYYYMMDD`). */
  async function timeslots(
    first: string,
    last: string,
    facility: string = facilities.kungsholmen,
    logicalAddress: string = units.kungsholmen,
    extra = '',
  ) {
    const response = await call(
      'GetAvailableTimeslots',
      `<tns:healthcare_facility>${facility}</tns:healthcare_facility>
       <tns:startDateInclusive>${first}</tns:startDateInclusive>
       <tns:endDateInclusive>${last}</tns:endDateInclusive>${extra}
       <ext:subject_of_care>${patient}</ext:subject_of_care>`,
      logicalAddress,
    );
    expect(response.status, response.text).toBe(200);
    return (response.body.timeslotDetail ?? []) as Record<string, string>[];
  }

  /** Books a timeslot as returned by GetAvailableTimeslots. */
  function makeBooking(
    slot: Record<string, string>,
    options: { subject?: string; purpose?: string; notification?: string; firstName?: string } = {},
    logicalAddress: string = units.kungsholmen,
  ) {
    const subject = options.subject ?? patient;
    return call(
      'MakeBooking',
      `<tns:healthcare_facility_med>${slot.healthcare_facility}</tns:healthcare_facility_med>
       <tns:requestedTimeslot>
         <core:startTimeInclusive>${slot.startTimeInclusive}</core:startTimeInclusive>
         <core:endTimeExclusive>${slot.endTimeExclusive}</core:endTimeExclusive>
         <core:healthcare_facility>${slot.healthcare_facility}</core:healthcare_facility>
         <core:performer>${slot.performer}</core:performer>
         <core:subject_of_care>${subject}</core:subject_of_care>
         ${options.purpose ? `<core:purpose>${options.purpose}</core:purpose>` : ''}
         <core:timeTypeID>${slot.timeTypeID}</core:timeTypeID>
       </tns:requestedTimeslot>
       <tns:subject_of_care_info>
         <core11:firstName>${options.firstName ?? 'Test'}</core11:firstName>
         <core11:lastName>Patient</core11:lastName>
       </tns:subject_of_care_info>
       ${options.notification === undefined ? '' : `<tns:notification>${options.notification}</tns:notification>`}`,
      logicalAddress,
    );
  }

  return {
    simulator,
    url,
    clock,
    post,
    call,
    admin,
    timeslots,
    makeBooking,
    /** Fails the test if any message so far failed schema validation. */
    expectAllValid() {
      const { stats } = simulator.state;
      expect(stats.invalidResponses, stats.lastProblems.join('\n')).toBe(0);
    },
    close: () => simulator.close(),
  };
}

export type TestSimulator = Awaited<ReturnType<typeof startSimulator>>;

/**
 * The simulator for the calling test file: reset to its seed and `testNow` before every test,
 * every request and response of a test checked against the schemas after it. The getter answers
 * the running simulator.
 */
export function useTestSimulator(): () => TestSimulator {
  let sim: TestSimulator;
  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(() => sim.close());
  beforeEach(async () => {
    await sim.admin('POST', 'reset');
    sim.clock.set(testNow);
  });
  afterEach(() => sim.expectAllValid());
  return () => sim;
}
