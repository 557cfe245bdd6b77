import { createLogger } from '@booking/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLedger, type Ledger } from '../src/access/ledger/createLedger.js';
import { createIdempotency, type IdempotentCall } from '../src/manager/createIdempotency.js';
import type { LedgerOutcome } from '../src/manager/models.js';
import { ledgerBackends, openTestLedger } from './ledgerDatabases.js';

const logger = createLogger({ service: 'idempotency-test', level: 'silent' });
const never = () => new Promise<never>(() => {});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const taken: LedgerOutcome = { __typename: 'SlotUnavailable', message: 'taken', slotId: 's1' };

let counter = 0;
const callWith = (): IdempotentCall => ({
  owner: { clientId: 'vården-web', subject: 'patient-astrid' },
  key: `key-${++counter}`,
  operation: 'CONFIRM',
  fingerprint: 'fp',
  reservationId: crypto.randomUUID(),
  connectionId: 'cliniq-nordklinik',
});

describe.each(ledgerBackends)(
  'createIdempotency on %s: a repeat of a key whose first call has not answered',
  (backend) => {
    let ledger: Ledger;
    let close: () => Promise<void>;
    beforeAll(async () => {
      const opened = await openTestLedger(backend);
      close = opened.close;
      ledger = createLedger(opened.db, Date.now);
    });
    afterAll(() => close?.());

    const instance = (
      id: string,
      options: { leaseMs: number; replayWaitMs: number },
      on = ledger,
    ) => createIdempotency({ ledger: on, logger, now: Date.now, instanceId: id, ...options });

    it('takes the call over as soon as the lease of the instance that died lapses, and stores its outcome', async () => {
      // The instance running the first call is killed: it renews, completes and releases nothing.
      const dead: Ledger = {
        ...ledger,
        renewKey: never,
        completeKey: never,
        releaseKey: never,
      };
      const call = callWith();
      void instance('killed', { leaseMs: 300, replayWaitMs: 5000 }, dead)(call, never);
      await sleep(30);
      const modes: boolean[] = [];
      const started = Date.now();
      const outcome = await instance('survivor', { leaseMs: 300, replayWaitMs: 5000 })(
        call,
        async (_id, { takeover }) => {
          modes.push(takeover);
          return taken;
        },
      );
      expect(outcome).toEqual(taken);
      expect(modes).toEqual([true]);
      expect(Date.now() - started).toBeLessThan(1500);
      expect((await ledger.findKey(call.owner, call.key))?.outcome).toEqual(taken);
    });

    it('takes a call over at once when the first one failed', async () => {
      const call = callWith();
      const first = instance('a', { leaseMs: 10_000, replayWaitMs: 5000 });
      await expect(
        first(call, async () => {
          throw new Error('the ledger went away');
        }),
      ).rejects.toThrow();
      const started = Date.now();
      const outcome = await instance('b', { leaseMs: 10_000, replayWaitMs: 5000 })(
        call,
        async () => taken,
      );
      expect(outcome).toEqual(taken);
      expect(Date.now() - started).toBeLessThan(1000);
    });

    it('waits for a first call still running on a live instance, renewing its lease, and answers with its outcome', async () => {
      const call = callWith();
      const first = instance('live', { leaseMs: 200, replayWaitMs: 5000 })(call, async () => {
        await sleep(700);
        return taken;
      });
      await sleep(20);
      let ranAgain = false;
      const repeat = await instance('other', { leaseMs: 200, replayWaitMs: 5000 })(
        call,
        async () => {
          ranAgain = true;
          return { __typename: 'InvalidInput', message: 'ran twice', field: 'x' };
        },
      );
      expect(await first).toEqual(taken);
      expect(repeat).toEqual(taken);
      expect(ranAgain).toBe(false);
    });

    it('answers ProviderUnavailable with retryAfterSeconds when the live first call outlasts the wait', async () => {
      const call = callWith();
      const first = instance('slow', { leaseMs: 200, replayWaitMs: 5000 })(call, async () => {
        await sleep(800);
        return taken;
      });
      await sleep(20);
      const repeat = await instance('impatient', { leaseMs: 200, replayWaitMs: 300 })(call, never);
      expect(repeat).toMatchObject({
        __typename: 'ProviderUnavailable',
        connectionId: 'cliniq-nordklinik',
        retryAfterSeconds: 1,
      });
      await first;
    });
  },
);
