import {
  createSquareSimulator,
  defaultSellers,
  type SquareSimulatorOptions,
} from '../src/server.js';

/** Wednesday 2026-03-25 09:00 in Stockholm (CET, UTC+1): four days before the spring DST switch. */
export const testNow = '2026-03-25T08:00:00Z';

const [rorelse, gbg] = defaultSellers;
/** Rörelse Fysioterapi: Södermalm (Elin Mon–Fri 08–17, Oskar Wed–Sun 09–15) and Kungsholmen. */
export const fysio = {
  token: rorelse?.accessToken as string,
  merchantId: 'MLRORELSEFYS01',
  sodermalm: 'LSTHSODERMALM01',
  kungsholmen: 'LSTHKUNGSHOLM01',
  elin: 'TMelinsjoberg01',
  oskar: 'TMoskarholm0001',
  receptionist: 'TMkarinek000001',
  nybesok60: 'IVFYSNYBESOK60000000001',
  aterbesok30: 'IVFYSATERBESOK3000000001',
  massage30: 'IVIDROTTSMASSAGE30000001',
  notBookable: 'IVREHABGRUPP600000000001',
};
export const massageToken = gbg?.accessToken as string;

export interface ApiResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the simulator sent.
  body: any;
}

/** Starts a simulator on a free port with a clock the test sets by hand. */
export async function startSimulator(options: SquareSimulatorOptions = {}) {
  let now = new Date(testNow);
  const clock = {
    now: () => now,
    set(iso: string) {
      now = new Date(iso);
    },
  };
  // A high default rate limit, so only the test about 429 meets it.
  const simulator = createSquareSimulator({
    clock: clock.now,
    rateLimitPerSecond: 10_000,
    ...options,
  });
  const url = await simulator.listen(0);

  /** Calls the API as the Rörelse seller unless `token` says otherwise (`null`: no header). */
  async function call(
    method: string,
    path: string,
    body?: unknown,
    {
      token = fysio.token,
      headers = {},
    }: { token?: string | null; headers?: Record<string, string> } = {},
  ): Promise<ApiResponse> {
    const res = await fetch(`${url}${path}`, {
      method,
      headers: {
        'content-type': 'application/json',
        'square-version': '2025-08-20',
        ...(token === null ? {} : { authorization: `Bearer ${token}` }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
  }

  /** SearchAvailability for one service variation at a location over `[start, end)`. */
  function searchAvailability(
    start: string,
    end: string,
    variationId = fysio.nybesok60,
    locationId = fysio.sodermalm,
    extra = {},
  ) {
    return call('POST', '/v2/bookings/availability/search', {
      query: {
        filter: {
          start_at_range: { start_at: start, end_at: end },
          location_id: locationId,
          segment_filters: [{ service_variation_id: variationId, ...extra }],
        },
      },
    });
  }

  /** A CreateBooking body for an availability as SearchAvailability answered it. */
  function bookingBody(
    availability: { start_at: string; location_id: string; appointment_segments: unknown[] },
    key: string,
    extra: Record<string, unknown> = {},
  ) {
    return {
      idempotency_key: key,
      booking: {
        start_at: availability.start_at,
        location_id: availability.location_id,
        appointment_segments: availability.appointment_segments,
        ...extra,
      },
    };
  }

  return {
    simulator,
    url,
    clock,
    call,
    searchAvailability,
    bookingBody,
    close: () => simulator.close(),
  };
}

export type TestSimulator = Awaited<ReturnType<typeof startSimulator>>;
