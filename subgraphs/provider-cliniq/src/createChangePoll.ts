import {
  type BackgroundTask,
  type CatalogueCache,
  type ConnectContext,
  instantToLocal,
  type RequestBudget,
  unexpectedOutcome,
} from '@booking/provider-kit';
import * as cliniq from './__generated__/client.gen.js';
import type { ChangePage } from './__generated__/types.gen.js';
import type { CliniqClient } from './client/createCliniqClient.js';
import { type CliniqCatalogue, clinicZones } from './loadCliniqCatalogue.js';
import { cliniqTimeZone, toContractChange } from './mapping.js';
import type { CliniqSettings } from './provider.js';

/** Where the poll is in Cliniq's change feed, for logs and tests. */
export interface ChangeFeedPosition {
  /** The last change number read; null until a poll has found Cliniq's newest. */
  readonly sequence: number | null;
  /** How many times Cliniq's feed started over, which the change ids carry. */
  readonly epoch: number;
}

/** One connection's poll of Cliniq's change feed (`GET /changes`): the kit's background task. */
export interface ChangePoll extends BackgroundTask {
  position(): ChangeFeedPosition;
}

/** Changes per request: Cliniq's largest page. */
const pageSize = 100;
/** Pages read in one poll at most; a backlog beyond it waits for the next poll. */
const maxPagesPerPoll = 10;

/**
 * Follows Cliniq's change feed: each poll asks for the changes after the last change number it
 * read, so that nothing is skipped and no clocks are compared, and appends what concerns the
 * platform to the connection's change log. It starts at Cliniq's newest change. The kit runs it
 * every `CLINIQ_CHANGE_POLL_MS` as a quiet background task (never overlapping, making way for
 * the connection's contract calls, backing off after failures and honouring `Retry-After`).
 * Null when the poll is switched off (`0`): the connection then has no change log, no `CHANGES`.
 */
export function createChangePoll(
  client: CliniqClient,
  catalogue: CatalogueCache<CliniqCatalogue>,
  context: ConnectContext<CliniqSettings>,
): ChangePoll | null {
  const { changePollMs, changePollMaxBackoffMs } = context.settings;
  if (changePollMs === 0) return null;
  const changeLog = context.changeLog();
  const { logger } = context;
  let sequence: number | null = null;
  let epoch = 0;

  /** Finds Cliniq's newest change number: its answer to any listing says it. */
  async function findNewest(budget: RequestBudget): Promise<void> {
    // `since` the present only keeps the answer short; the number, not the time, is what counts.
    const since = instantToLocal(new Date(context.now()), cliniqTimeZone);
    const page = await client.value(cliniq.listChanges({ query: { since, pageSize: 1 } }), budget);
    sequence = page.latestSequence;
    logger.info({ sequence }, 'following Cliniq changes');
  }

  /** One poll: the changes after the last number read, up to `maxPagesPerPoll` pages of them. */
  async function readChanges(budget: RequestBudget): Promise<void> {
    if (sequence === null) return findNewest(budget);
    const zoneOf = await clinicZones(catalogue, budget.signal);
    for (let pages = 0; pages < maxPagesPerPoll; pages += 1) {
      const query = { afterSequence: sequence, pageSize };
      const outcome = await client.send(cliniq.listChanges({ query }), budget);
      if (!outcome.ok) {
        if (outcome.status !== 410)
          unexpectedOutcome('Cliniq list changes', outcome, (e) => e.error);
        // Behind what Cliniq keeps: follow on from its newest; the look-up sweep covers the gap.
        logger.warn({ sequence }, 'Cliniq no longer keeps the changes after our position');
        sequence = null;
        return;
      }
      // Typed here: `sequence` is reassigned from the page, which TypeScript cannot infer in a loop.
      const page: ChangePage = outcome.value;
      if (page.latestSequence < sequence) {
        // Numbers only grow, so Cliniq's feed started over (a restore): what it has now is new.
        epoch += 1;
        logger.warn({ from: sequence, newest: page.latestSequence }, 'Cliniq changes started over');
        sequence = 0;
        continue;
      }
      for (const change of page.data) {
        const contract = toContractChange(change, zoneOf, epoch);
        if (contract) await changeLog.append(contract);
        sequence = change.sequence;
      }
      if (page.data.length === 0 || page.totalPages <= 1) return;
    }
  }

  const task = context.background({
    label: 'Cliniq change poll',
    intervalMs: changePollMs,
    maxBackoffMs: changePollMaxBackoffMs,
    quiet: true,
    run: readChanges,
  });
  return { ...task, position: () => ({ sequence, epoch }) };
}
