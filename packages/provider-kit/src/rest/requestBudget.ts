/** What one outgoing call may still spend: its abort signal and the instant it fires at the latest. */
export interface RequestBudget {
  /** Aborted when the caller stops waiting; passed to every request. */
  readonly signal: AbortSignal;
  /**
   * Epoch ms by which the signal fires at the latest. The kit may abort earlier (the caller's
   * `x-deadline-at`), so this is only used to decide whether a wait (Retry-After) can fit at all.
   */
  readonly deadlineAt: number;
}

/** A budget shared by several callers; dispose of it once the shared work has settled. */
export interface SharedBudget extends RequestBudget {
  /**
   * Stops following the callers' signals, which outlive one batch (a GraphQL request's signal
   * takes part in many), so that no listener accumulates on them; and aborts whatever still runs
   * on the shared signal (a request of a batch that already failed), since nobody waits for it
   * any more. Idempotent.
   */
  dispose(): void;
}

/**
 * One budget for work shared by several callers (a DataLoader batch): it lasts as long as the most
 * patient caller, so one caller giving up does not fail the others. Each caller still stops waiting
 * at its own deadline through `abortable`. Call `dispose()` when the work has settled.
 */
export function sharedBudget(budgets: readonly RequestBudget[]): SharedBudget {
  const signals = [...new Set(budgets.map((budget) => budget.signal))];
  const deadlineAt = Math.max(...budgets.map((budget) => budget.deadlineAt));
  const [only] = signals;
  if (signals.length === 1 && only) return { signal: only, deadlineAt, dispose: () => {} };
  const controller = new AbortController();
  const listening = signals.filter((signal) => !signal.aborted);
  let waiting = listening.length;
  if (waiting === 0) controller.abort(signals[0]?.reason);
  const onAbort = (event: Event) => {
    waiting -= 1;
    if (waiting === 0) controller.abort((event.target as AbortSignal).reason);
  };
  for (const signal of listening) signal.addEventListener('abort', onAbort, { once: true });
  return {
    signal: controller.signal,
    deadlineAt,
    dispose() {
      for (const signal of listening) signal.removeEventListener('abort', onAbort);
      controller.abort(new DOMException('The shared work has settled', 'AbortError'));
    },
  };
}
