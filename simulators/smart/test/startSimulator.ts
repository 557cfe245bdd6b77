import { createSmartSimulator, type SmartSimulatorOptions } from '../src/server.js';

/** Monday 2026-10-19 10:00 in Stockholm (CEST): six days before the autumn DST change. */
export const testNow = '2026-10-19T08:00:00Z';

/** Starts a simulator on a free port with a clock the test moves by hand. */
export async function startSimulator(options: SmartSimulatorOptions = {}) {
  let now = new Date(testNow);
  const clock = {
    now: () => now,
    advanceSeconds(seconds: number) {
      now = new Date(now.getTime() + seconds * 1000);
    },
  };
  const simulator = createSmartSimulator({ clock: clock.now, ...options });
  const url = await simulator.listen(0);

  async function get(path: string, headers: Record<string, string> = {}) {
    const res = await fetch(path.startsWith('http') ? path : `${url}${path}`, { headers });
    return { status: res.status, headers: res.headers, text: await res.text() };
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
  async function manifest(publisher: string, query = '') {
    const res = await get(`/${publisher}/$bulk-publish${query}`);
    return {
      ...res,
      body: JSON.parse(res.text) as {
        transactionTime: string;
        request: string;
        output: { type: string; url: string; extension?: Record<string, unknown> }[];
        error: unknown[];
      },
    };
  }
  /** The resources of one published file, parsed line by line. */
  async function resources(fileUrl: string) {
    const res = await get(fileUrl);
    return (
      res.text
        .split('\n')
        .filter(Boolean)
        // biome-ignore lint/suspicious/noExplicitAny: tests read the resources they look for.
        .map((line) => JSON.parse(line) as any)
    );
  }
  async function book(publisher: string, slot: string) {
    const res = await fetch(`${url}/${publisher}/portal/boka`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ slot }),
    });
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the portal sent.
    return { status: res.status, body: (await res.json()) as any };
  }
  return {
    simulator,
    url,
    clock,
    get,
    admin,
    manifest,
    resources,
    book,
    close: () => simulator.close(),
  };
}

export type TestSimulator = Awaited<ReturnType<typeof startSimulator>>;
