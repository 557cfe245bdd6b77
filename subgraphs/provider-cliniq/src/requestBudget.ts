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

/**
 * One budget for work shared by several callers (a DataLoader batch): it lasts as long as the most
 * patient caller, so one caller giving up does not fail the others. Each caller still stops waiting
 * at its own deadline through `abortable`.
 */
export function sharedBudget(budgets: readonly RequestBudget[]): RequestBudget {
  const signals = [...new Set(budgets.map((budget) => budget.signal))];
  const deadlineAt = Math.max(...budgets.map((budget) => budget.deadlineAt));
  const [only] = signals;
  if (signals.length === 1 && only) return { signal: only, deadlineAt };
  const controller = new AbortController();
  let waiting = signals.filter((signal) => !signal.aborted).length;
  if (waiting === 0) controller.abort(signals[0]?.reason);
  for (const signal of signals) {
    if (signal.aborted) continue;
    signal.addEventListener(
      'abort',
      () => {
        waiting -= 1;
        if (waiting === 0) controller.abort(signal.reason);
      },
      { once: true },
    );
  }
  return { signal: controller.signal, deadlineAt };
}
