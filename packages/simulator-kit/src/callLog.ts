/** One vendor request as the simulator saw it: when it arrived and when its answer ended. */
export interface CallSpan {
  /** Epoch ms (fractional) when the request was admitted, before any latency. */
  startMs: number;
  /** Epoch ms when its answer was sent or its connection closed; null while it is still open. */
  endMs: number | null;
  access: 'read' | 'write';
}

/** Spans kept per connection; older ones are dropped, so a long-running simulator stays small. */
export const maxCallsKept = 1000;

/**
 * The longest chain of calls each of which started after the one before it ended: how many round
 * trips one after another the caller waited for. Calls that overlap (sent concurrently) count once.
 * Open calls count as ending now.
 */
export function callDepth(calls: readonly Pick<CallSpan, 'startMs' | 'endMs'>[]): number {
  const spans = calls
    .map((call) => ({ start: call.startMs, end: call.endMs ?? Number.POSITIVE_INFINITY }))
    .sort((a, b) => a.end - b.end);
  const depth: number[] = [];
  for (const [i, span] of spans.entries()) {
    let before = 0;
    for (let j = 0; j < i; j += 1) {
      if (spans[j]!.end <= span.start) before = Math.max(before, depth[j]!);
    }
    depth.push(before + 1);
  }
  return Math.max(0, ...depth);
}

/** Each connection's recent vendor requests, as `GET /_admin/calls` shows them. */
export interface CallLog {
  readonly byConnection: ReadonlyMap<string, readonly CallSpan[]>;
  /** Records a request admitted now; its span ends when `res` closes. */
  record(
    connection: string,
    access: CallSpan['access'],
    res: { once(event: 'close', listener: () => void): unknown },
  ): void;
  /** Every connection's spans and depth, and the depth across them (one server may serve several). */
  view(): { depth: number; connections: Record<string, { depth: number; calls: CallSpan[] }> };
  clear(): void;
}

export function createCallLog(): CallLog {
  let calls = new Map<string, CallSpan[]>();
  // Wall-clock time, not a simulator's business clock (tests freeze that one).
  const now = () => performance.timeOrigin + performance.now();
  return {
    get byConnection() {
      return calls;
    },
    record(connection, access, res) {
      const span: CallSpan = { startMs: now(), endMs: null, access };
      const log = calls.get(connection) ?? [];
      calls.set(connection, log);
      log.push(span);
      if (log.length > maxCallsKept) log.shift();
      res.once('close', () => {
        span.endMs = now();
      });
    },
    view() {
      const connections = Object.fromEntries(
        [...calls].map(([id, spans]) => [id, { depth: callDepth(spans), calls: spans }]),
      );
      return { depth: callDepth([...calls.values()].flat()), connections };
    },
    clear() {
      calls = new Map();
    },
  };
}
