import { createFhirSimulator, type FhirSimulatorOptions, fhirBasePath } from '../src/server.js';

/** Monday 2026-10-19 10:00 in Stockholm (CEST): the autumn DST change is six days later. */
export const testNow = '2026-10-19T08:00:00Z';

export interface FhirResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever FHIR JSON the server sent.
  body: any;
}

/** Starts a simulator on a free port with a clock the test moves by hand. */
export async function startSimulator(options: FhirSimulatorOptions = {}) {
  let now = new Date(testNow);
  const clock = {
    now: () => now,
    set(iso: string) {
      now = new Date(iso);
    },
  };
  const simulator = createFhirSimulator({ clock: clock.now, ...options });
  const url = await simulator.listen(0);

  async function request(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<FhirResponse> {
    const response = await fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body !== undefined && { 'content-type': 'application/fhir+json' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text ? JSON.parse(text) : undefined,
    };
  }

  /** Calls the FHIR API: `fhir('GET', 'Slot?status=free')`. */
  const fhir = (method: string, path: string, body?: unknown, headers?: Record<string, string>) =>
    request(method, `${fhirBasePath}/${path}`, body, headers);

  /** Calls the admin API: `admin('POST', 'config', { down: true })`. */
  const admin = (method: string, path: string, body?: unknown) =>
    request(
      method,
      `/_admin/${path}`,
      body,
      body === undefined ? {} : { 'content-type': 'application/json' },
    );

  return { simulator, url, clock, fhir, admin, stop: () => simulator.close() };
}

export type StartedSimulator = Awaited<ReturnType<typeof startSimulator>>;

/** A free slot of `schedule` starting in the week from `from`, read fresh (with its version). */
export async function freeSlot(
  sim: StartedSimulator,
  schedule = 'sched-lindqvist',
  from = '2026-10-20T00:00:00Z',
) {
  // Bounded, so that only that week's slots are made (an open window makes every open day).
  const to = new Date(Date.parse(from) + 7 * 86_400_000).toISOString();
  const found = await sim.fhir(
    'GET',
    `Slot?schedule=Schedule/${schedule}&status=free&start=ge${from}&start=lt${to}&_count=1`,
  );
  const slot = found.body.entry?.[0]?.resource;
  if (!slot) throw new Error(`no free slot of ${schedule}`);
  return slot;
}
