/*
 * The FHIR provider subgraph in process over the FHIR simulator, for its integration tests: the
 * contract calls they make, the server's own resources, its knobs and the shared clock.
 */
import {
  captureLogs,
  contractSuiteNow,
  createContractClient,
  resultFields,
  testPatient,
} from '@booking/provider-contract-tests';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createFhirSimulator, type FhirSimulator, fhirBasePath } from '@booking/simulator-fhir';
import { afterAll, beforeAll, beforeEach, expect } from 'vitest';
import { type FhirConnection, fhirProvider, simulatorConnections } from '../src/provider.js';

/** The contract suite's clock: a week before the autumn DST change. */
export const startOfTest = contractSuiteNow;
let now = startOfTest;
/** Moves the clock of the simulator and the subgraph (back to `startOfTest` before every test). */
export const setNow = (at: Date) => {
  now = at;
};
const clock = () => now;

export const patient = { ...testPatient, email: 'testa@example.se' };
/** Day of birth 61: a samordningsnummer (coordination number). */
export const coordinationPatient = {
  personalIdentityNumber: '199001610013',
  givenName: 'Sam',
  familyName: 'Ordning',
};

/** Everything the subgraph logs, to prove that patient data never reaches a log line. */
export const { lines: logLines, destination: logSink } = captureLogs();

let simulator: FhirSimulator;
let subgraph: ProviderService<FhirConnection>;
let reservationCounter = 0;
export const nextReservationId = () => `res-${Date.now()}-${++reservationCounter}`;
export const nord = 'fhir-halsanord';
export const syd = 'fhir-sydvarden';

// biome-ignore lint/suspicious/noExplicitAny: FHIR JSON as the simulator sends it.
export async function fhir(path: string): Promise<any> {
  return fetch(`${simulator.url}${fhirBasePath}/${path}`).then((r) => r.json());
}

// biome-ignore lint/suspicious/noExplicitAny: admin JSON as the simulator sends it.
type AdminBody = any;

export async function admin(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: AdminBody }> {
  const response = await fetch(`${simulator.url}/_admin/${path}`, {
    method,
    ...(body !== undefined && {
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    }),
  });
  return { status: response.status, body: await response.json() };
}

export const { graphql, findSlots, slotState, lookUp } = createContractClient(
  () => `${subgraph.url}/graphql`,
);
export const mutation = (name: string, type: string) =>
  `mutation ($input: ${type}!) { ${name}(input: $input) { ${resultFields} } }`;

export async function book(
  slotId: string,
  reservationId = nextReservationId(),
  who: { personalIdentityNumber: string; givenName: string; familyName: string } = patient,
  c = nord,
) {
  const result = await graphql(mutation('contractBook', 'ContractBookInput'), {
    input: { connectionId: c, slotId, reservationId, patient: who, note: 'Ont i halsen' },
  });
  return { reservationId, ...result, result: result.data?.contractBook };
}
export async function hold(slotId: string, reservationId = nextReservationId(), c = nord) {
  const result = await graphql(mutation('contractHold', 'ContractHoldInput'), {
    input: { connectionId: c, slotId, reservationId },
  });
  return { reservationId, ...result, result: result.data?.contractHold };
}
export async function confirm(reservationId: string, providerReference: string, c = nord) {
  const result = await graphql(mutation('contractConfirm', 'ContractConfirmInput'), {
    input: { connectionId: c, reservationId, providerReference, patient },
  });
  return result.data?.contractConfirm ?? result;
}
export async function cancel(reservationId: string, providerReference: string, c = nord) {
  const result = await graphql(mutation('contractCancel', 'ContractCancelInput'), {
    input: { connectionId: c, reservationId, providerReference, reason: 'Krock' },
  });
  return result.data?.contractCancel ?? result;
}

/** Free slots of one organisation on Tuesday 20 October, handed out one per test. */
const pool: string[] = [];
export async function freeSlot(): Promise<string> {
  if (pool.length === 0) {
    const slots = await findSlots(nord, '2026-10-20T00:00:00Z', '2026-10-21T00:00:00Z');
    pool.push(...slots.map((s) => s.id));
  }
  const id = pool.shift();
  if (!id) throw new Error('no free slot left');
  return id;
}

/**
 * The subgraph over the simulator's two organisations for the calling test file, the simulator's
 * knobs and the clock reset before every test; after the file, no log line may carry patient data.
 */
export function useFhirSubgraph(): void {
  beforeAll(async () => {
    simulator = createFhirSimulator({ clock });
    const base = await simulator.listen(0);
    const [halsanord, sydvarden] = simulatorConnections(base);
    subgraph = createProviderService(
      fhirProvider,
      {
        connections: [{ ...halsanord!, holdTtlSeconds: 120 }, sydvarden!],
        providerDeadlineMs: 5000,
      },
      createLogger({ service: 'provider-fhir', level: 'debug', destination: logSink }),
      { now: () => now.getTime() },
    );
    await subgraph.listen(0);
  }, 30_000);

  afterAll(async () => {
    await subgraph?.close();
    await simulator?.close();
    // Nothing the subgraph logged may carry patient data.
    const logged = logLines.join('\n');
    for (const value of [
      patient.personalIdentityNumber,
      patient.givenName,
      patient.familyName,
      patient.email,
      coordinationPatient.personalIdentityNumber,
      'Ont i halsen',
    ]) {
      expect(logged).not.toContain(value);
    }
  });

  beforeEach(async () => {
    now = startOfTest;
    await admin('POST', 'config', {
      latencyMs: 0,
      faultRate: 0,
      down: false,
      lostResponses: 0,
      takeOnRead: 0,
      touchOnRead: 0,
      maxPageSize: 200,
    });
  });
}
