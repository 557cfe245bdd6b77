import {
  type CatalogueCache,
  type ChangeLog,
  instantToLocal,
  ProviderError,
  type RequestBudget,
  unexpectedOutcome,
} from '@booking/provider-kit';
import type { Logger } from '@booking/server-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { CliniqClient } from './client/createCliniqClient.js';
import type { ForegroundTraffic } from './createForegroundTraffic.js';
import { type CliniqCatalogue, clinicZones } from './loadCliniqCatalogue.js';
import { cliniqTimeZone, toContractChange } from './mapping.js';

export interface ChangePollOptions {
  readonly client: CliniqClient;
  /** Where the clinics' time zones come from. */
  readonly catalogue: CatalogueCache<CliniqCatalogue>;
  /** Where what the poll finds goes (served as `contractChanges`). */
  readonly changeLog: ChangeLog;
  /** The connection's contract calls, which the poll makes way for. */
  readonly foreground: ForegroundTraffic;
  /** The connection's logger. */
  readonly logger: Logger;
  /** Milliseconds from one poll's end to the next one. */
  readonly intervalMs: number;
  /** Longest wait after failures, whatever `Retry-After` asks for. */
  readonly maxBackoffMs: number;
  /** How long one poll (all its pages) may take. */
  readonly timeoutMs: number;
  /** Epoch ms. Default: `Date.now`. */
  readonly now?: () => number;
}

/** How the poll is doing, for logs and tests. */
export interface ChangePollStatus {
  /** The last change number read; null until the first poll has found Cliniq's newest. */
  readonly sequence: number | null;
  /** How many times Cliniq's feed started over, which the change ids carry. */
  readonly epoch: number;
  readonly polls: number;
  /** Failed polls in a row. */
  readonly failures: number;
  readonly lastError: string | null;
}

/** One connection's poll of Cliniq's change feed (`GET /changes`), started and stopped by the kit. */
export interface ChangePoll {
  start(): void;
  /** Stops polling and abandons a poll in flight. */
  stop(): Promise<void>;
  status(): ChangePollStatus;
}

/** Changes per request: Cliniq's largest page. */
const pageSize = 100;
/** Pages read in one poll at most; a backlog beyond it waits for the next poll. */
const maxPagesPerPoll = 10;
/**
 * How long the subgraph must have been still before the poll goes: longer than the gaps inside a
 * search's burst of calls, shorter than the pause between two reads of `contractChanges`.
 */
const quietMs = 100;
/** A due poll waits for quiet at most this many intervals: a bound on the lag under load. */
const maxDeferIntervals = 5;

/**
 * Follows Cliniq's change feed: every `intervalMs` it asks for the changes after the last change
 * number it read, so that nothing is skipped and no clocks are compared, and appends what concerns
 * the platform to the connection's change log. It starts at Cliniq's newest change. Polls never
 * overlap: the next is scheduled when one ends. A due poll waits until the subgraph has been
 * quiet for a moment (no request for 100 ms, no call to Cliniq running), at most five intervals,
 * so that it does not add to a search's burst against the tenant's rate limit. After a failure it waits twice as long each time (up to `maxBackoffMs`),
 * and at least the `Retry-After` of a 429 (up to the same bound).
 */
export function createChangePoll(options: ChangePollOptions): ChangePoll {
  const { client, changeLog, foreground, logger, intervalMs, maxBackoffMs, timeoutMs } = options;
  const now = options.now ?? Date.now;
  let sequence: number | null = null;
  let epoch = 0;
  let polls = 0;
  let failures = 0;
  let lastError: string | null = null;
  let running = false;
  let dueAt = 0;
  let timer: NodeJS.Timeout | undefined;
  let inFlight: Promise<number> | undefined;
  let stopping = new AbortController();

  /** Finds Cliniq's newest change number: its answer to any listing says it. */
  async function findNewest(budget: RequestBudget): Promise<void> {
    // `since` the present only keeps the answer short; the number, not the time, is what counts.
    const since = instantToLocal(new Date(now()), cliniqTimeZone);
    const page = await client.value(cliniq.listChanges({ query: { since, pageSize: 1 } }), budget);
    sequence = page.latestSequence;
    logger.info({ sequence }, 'following Cliniq changes');
  }

  async function readChanges(after: number, budget: RequestBudget): Promise<void> {
    const zoneOf = await clinicZones(options.catalogue, budget.signal);
    let position = after;
    for (let pages = 0; pages < maxPagesPerPoll; pages += 1) {
      const query = { afterSequence: position, pageSize };
      const outcome = await client.send(cliniq.listChanges({ query }), budget);
      if (!outcome.ok) {
        if (outcome.status !== 410)
          unexpectedOutcome('Cliniq list changes', outcome, (e) => e.error);
        // Behind what Cliniq keeps: follow on from its newest; the look-up sweep covers the gap.
        logger.warn(
          { sequence: position },
          'Cliniq no longer keeps the changes after our position',
        );
        sequence = null;
        return;
      }
      const page = outcome.value;
      if (page.latestSequence < position) {
        // Numbers only grow, so Cliniq's feed started over (a restore): what it has now is new.
        epoch += 1;
        logger.warn({ from: position, newest: page.latestSequence }, 'Cliniq changes started over');
        position = 0;
        sequence = 0;
        continue;
      }
      for (const change of page.data) {
        const contract = toContractChange(change, zoneOf, epoch);
        if (contract) await changeLog.append(contract);
        position = change.sequence;
        sequence = position;
      }
      if (page.data.length === 0 || page.totalPages <= 1) return;
    }
  }

  async function poll(): Promise<void> {
    polls += 1;
    const signal = AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]);
    const budget = { signal, deadlineAt: now() + timeoutMs };
    if (sequence === null) await findNewest(budget);
    else await readChanges(sequence, budget);
  }

  /** The wait after a failure: doubling, at least what `Retry-After` asks, at most `maxBackoffMs`. */
  function backoffMs(error: unknown): number {
    const doubling = intervalMs * 2 ** Math.min(failures, 16);
    const retryAfterSeconds =
      error instanceof ProviderError ? (error.details.retryAfterSeconds ?? 0) : 0;
    return Math.min(maxBackoffMs, Math.max(doubling, retryAfterSeconds * 1000));
  }

  function schedule(delayMs: number): void {
    if (!running) return;
    dueAt = now() + delayMs;
    timer = setTimeout(tick, delayMs);
  }

  function tick(): void {
    timer = undefined;
    if (!running) return;
    if (foreground.busy(quietMs) && now() - dueAt < maxDeferIntervals * intervalMs) {
      timer = setTimeout(tick, quietMs);
      return;
    }
    inFlight = poll().then(
      () => {
        failures = 0;
        lastError = null;
        return intervalMs;
      },
      (error: unknown) => {
        if (!running) return intervalMs;
        failures += 1;
        lastError = error instanceof Error ? error.message : String(error);
        const waitMs = backoffMs(error);
        logger.warn({ failures, waitMs, err: lastError }, 'Cliniq change poll failed');
        return waitMs;
      },
    );
    void inFlight.then((delayMs) => {
      inFlight = undefined;
      schedule(delayMs);
    });
  }

  return {
    start() {
      if (running) return;
      running = true;
      stopping = new AbortController();
      schedule(0);
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      timer = undefined;
      stopping.abort();
      await inFlight;
    },
    status: () => ({ sequence, epoch, polls, failures, lastError }),
  };
}
