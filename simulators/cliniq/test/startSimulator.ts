import { type CliniqSimulatorOptions, createCliniqSimulator } from '../src/server.js';

/** Wednesday 2026-03-25 09:00 in Stockholm (CET, UTC+1): four days before the spring DST switch. */
export const testNow = '2026-03-25T08:00:00Z';

export const patient = {
  personalIdentityNumber: '199001011234',
  firstName: 'Testa',
  lastName: 'Testsson',
  email: 'testa@example.se',
};

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator sent.
  body: any;
}

interface CallOptions {
  body?: unknown;
  tenant?: string;
  /** Default: the tenant's dev key; `null` sends none. */
  apiKey?: string | null;
}

/** Starts a simulator on a free port with a clock the test moves by hand. */
export async function startSimulator(options: CliniqSimulatorOptions = {}) {
  let now = new Date(testNow);
  const clock = {
    now: () => now,
    advanceSeconds(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
    set(iso: string) {
      now = new Date(iso);
    },
  };
  // A high default rate limit, so only the test about 429 meets it.
  const simulator = createCliniqSimulator({
    clock: clock.now,
    rateLimitPerSecond: 10_000,
    ...options,
  });
  const url = await simulator.listen(0);

  async function request(method: string, path: string, body?: unknown, headers = {}) {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** Calls the tenant API: `call('GET', '/clinics')`. */
  function call(method: string, path: string, options: CallOptions = {}): Promise<ApiResponse> {
    const tenant = options.tenant ?? 'nordklinik';
    const apiKey = options.apiKey === undefined ? `dev-key-${tenant}` : options.apiKey;
    const headers = apiKey === null ? {} : { 'x-api-key': apiKey };
    return request(method, `/t/${tenant}/api/v1${path}`, options.body, headers);
  }

  function admin(method: string, path: string, body?: unknown): Promise<ApiResponse> {
    return request(method, `/_admin/${path}`, body);
  }

  /** The first free slot on a local day (`2026-03-26`), optionally of one clinic. */
  async function freeSlot(day: string, clinicId = 'CL1001') {
    const next = new Date(`${day}T12:00:00Z`);
    next.setUTCDate(next.getUTCDate() + 1);
    const to = `${next.toISOString().slice(0, 10)}T00:00:00`;
    const res = await call('GET', `/slots?from=${day}T00:00:00&to=${to}&clinicId=${clinicId}`);
    if (res.status !== 200 || res.body.data.length === 0) throw new Error(`no free slot on ${day}`);
    return res.body.data[0] as { id: string; start: string; end: string };
  }

  /** Bookings made through the API (not the seeded ones of other patients). */
  async function apiBookings(tenant = 'nordklinik') {
    const res = await admin('GET', `bookings?tenant=${tenant}`);
    return (res.body.bookings as { origin: string; slotId: string; status: string }[]).filter(
      (b) => b.origin === 'api',
    );
  }

  return {
    simulator,
    url,
    clock,
    call,
    admin,
    freeSlot,
    apiBookings,
    close: () => simulator.close(),
  };
}

export type TestSimulator = Awaited<ReturnType<typeof startSimulator>>;
