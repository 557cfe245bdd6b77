import { describe, expect, it, type TestContext } from 'vitest';
import type { SimulatorControlEndpoint } from './providerUnderTest.js';
import {
  type BookingResult,
  resultFields,
  type SuiteContext,
  testPatient,
} from './suiteContext.js';

/** The caller's deadline a provider subgraph honours (`@booking/provider-kit`'s `deadlineHeader`). */
const deadlineHeader = 'x-deadline-at';
/** How long past its deadline a provider may take to give up: scheduling, GC, a slow machine. */
const deadlineSlackMs = 1500;

/** A rule of the simulator control protocol's `POST /_admin/faults`. */
interface FaultRule {
  connection: string;
  kind: 'error' | 'rateLimit' | 'hang' | 'loseAnswer';
  on?: 'reads' | 'writes' | 'both';
  count?: number;
  status?: number;
  retryAfterSeconds?: number;
}

async function controlCall(control: SimulatorControlEndpoint, method: string, body?: unknown) {
  const response = await fetch(`${control.url}/_admin/faults`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body !== undefined && { body: JSON.stringify(body) }),
    signal: AbortSignal.timeout(5000),
  });
  const answer = (await response.json()) as {
    id?: number;
    faults?: { id: number; remaining: number | null }[];
  };
  if (!response.ok)
    throw new Error(`the simulator refused ${method} /_admin/faults: ${response.status}`);
  return answer;
}

/**
 * Runs `check` with `rule` in force at the simulator, then removes every rule. Answers how many
 * requests the rule took, so a check that the fault never reached fails instead of passing.
 */
async function withFault(
  control: SimulatorControlEndpoint,
  rule: FaultRule,
  check: () => Promise<void>,
): Promise<number> {
  const budget = rule.count ?? 1_000_000;
  const added = await controlCall(control, 'POST', { ...rule, count: budget });
  try {
    await check();
    const listed = await controlCall(control, 'GET');
    const remaining = listed.faults?.find((f) => f.id === added.id)?.remaining ?? budget;
    return budget - remaining;
  } finally {
    await controlCall(control, 'DELETE');
  }
}

/**
 * The faults every provider must survive, injected through its simulator's control protocol: a
 * refusal is a typed PROVIDER_UNAVAILABLE and never an answer (an empty list would say "no free
 * slots"); a provider that hangs is given up on within the deadline; a booking whose answer was
 * lost is settled through the look-up by reservation id.
 */
export function describeFaults(suite: SuiteContext): void {
  /** The simulator's control, or the check is skipped: a live system takes no injected faults. */
  const controlOf = (context: TestContext): SimulatorControlEndpoint => {
    const control = suite.running().control;
    if (!control) context.skip(`${suite.system}: no simulator control to inject faults through`);
    return control!;
  };
  const readControl = (context: TestContext) => {
    const control = controlOf(context);
    if (control.readsServedFromCopy)
      context.skip(`${suite.system}: ${control.readsServedFromCopy}`);
    return control;
  };
  /**
   * A window of one day no other check searches, `offset` days after the suite's "now" plus
   * nine, so that no search answer cached by an earlier check can stand in for the provider's.
   */
  const searchOf = (connectionId: string, offset: number, headers: Record<string, string> = {}) => {
    const from = new Date(suite.now.getTime() + (9 + offset) * 86_400_000);
    const to = new Date(from.getTime() + 86_400_000);
    return suite.graphql<{ contractSlots: unknown[] | null }>(
      'query ($input: ContractSlotsInput!) { contractSlots(input: $input) { id } }',
      { input: { connectionId, from: from.toISOString(), to: to.toISOString() } },
      headers,
    );
  };

  describe('faults, through the simulator control protocol', () => {
    it('answers PROVIDER_UNAVAILABLE, never a list, when the provider answers a search with a 5xx', async (context) => {
      const control = readControl(context);
      const connection = suite.connections()[0]!;
      const rule = {
        connection: control.connectionOf(connection.id),
        on: 'reads',
        kind: 'error',
        status: 503,
      } as const;
      const taken = await withFault(control, rule, async () => {
        const result = await searchOf(connection.id, 0);
        expect(result.data?.contractSlots ?? null).toBeNull();
        expect(result.errors?.[0]?.extensions?.code).toBe('PROVIDER_UNAVAILABLE');
      });
      expect(taken).toBeGreaterThan(0);
      // The fault gone, the same search answers: a refusal is not remembered as an answer.
      const again = await searchOf(connection.id, 0);
      expect(again.errors).toBeUndefined();
    });

    it('answers PROVIDER_UNAVAILABLE with the provider’s Retry-After when a search is answered 429', async (context) => {
      const control = readControl(context);
      const connection = suite.connections()[0]!;
      // Longer than any deadline: the provider cannot wait it out and must pass it on.
      const rule = {
        connection: control.connectionOf(connection.id),
        on: 'reads',
        kind: 'rateLimit',
        retryAfterSeconds: 30,
      } as const;
      const taken = await withFault(control, rule, async () => {
        const result = await searchOf(connection.id, 1);
        expect(result.data?.contractSlots ?? null).toBeNull();
        expect(result.errors?.[0]?.extensions).toMatchObject({
          code: 'PROVIDER_UNAVAILABLE',
          retryAfterSeconds: 30,
        });
      });
      expect(taken).toBeGreaterThan(0);
    });

    it('gives up on a search that hangs within the caller’s deadline, as PROVIDER_TIMEOUT', async (context) => {
      const control = readControl(context);
      const connection = suite.connections()[0]!;
      const deadlineMs = 1500;
      const rule = {
        connection: control.connectionOf(connection.id),
        on: 'reads',
        kind: 'hang',
      } as const;
      const taken = await withFault(control, rule, async () => {
        const started = performance.now();
        const result = await searchOf(connection.id, 2, {
          [deadlineHeader]: String(Date.now() + deadlineMs),
        });
        expect(performance.now() - started).toBeLessThan(deadlineMs + deadlineSlackMs);
        expect(result.data?.contractSlots ?? null).toBeNull();
        expect(result.errors?.[0]?.extensions?.code).toBe('PROVIDER_TIMEOUT');
      });
      expect(taken).toBeGreaterThan(0);
    });

    it('settles a booking write whose answer was lost through the look-up by reservation id: booked once, never twice', async (context) => {
      const control = controlOf(context);
      const [connection] = suite.writingWith(context, 'API_BOOKING');
      const slot = await suite.freeSlot(connection!.id);
      const reservationId = suite.reservationId();
      const input = {
        connectionId: connection!.id,
        slotId: slot.id,
        reservationId,
        patient: testPatient,
      };
      const book = () =>
        suite.graphql<{ contractBook: BookingResult }>(
          `mutation ($input: ContractBookInput!) { contractBook(input: $input) { ${resultFields} } }`,
          { input },
        );
      const rule = {
        connection: control.connectionOf(connection!.id),
        kind: 'loseAnswer',
        on: 'writes',
        count: 1,
      } as const;
      const taken = await withFault(control, rule, async () => {
        const lost = await book();
        // Either the provider reports the outcome as unknown, or it settled it itself. Never
        // "unavailable" (that says nothing was done) and never a refusal of the slot.
        const code = lost.errors?.[0]?.extensions?.code;
        if (code !== undefined) expect(code).toBe('PROVIDER_TIMEOUT');
        else expect(lost.data?.contractBook.booking?.status).toBe('BOOKED');
      });
      expect(taken).toBe(1);
      // The lost write may be the booking itself, or one before it (Square creates the customer
      // first): the look-up tells which, for certain. Found, it is the booking; NOT_BOOKED,
      // nothing was booked.
      const lookup = await suite.lookUp(connection!.id, reservationId);
      expect(lookup.status, lookup.reason ?? '').toMatch(/^(FOUND|NOT_BOOKED)$/);
      const found = lookup.booking;
      if (found !== null)
        expect(found).toMatchObject({ reservationId, slotId: slot.id, status: 'BOOKED' });
      // Booking again under the same reservation ends with exactly one booking: the one found, if
      // any, never a second.
      const again = await book();
      expect(again.errors).toBeUndefined();
      const booked = again.data?.contractBook.booking;
      expect(booked).toMatchObject({ reservationId, slotId: slot.id, status: 'BOOKED' });
      if (found !== null) expect(booked?.providerReference).toBe(found.providerReference);
      expect(await suite.lookUp(connection!.id, reservationId)).toMatchObject({
        status: 'FOUND',
        booking: { providerReference: booked?.providerReference },
      });
      expect(await suite.slotState(connection!.id, slot.id)).toBe('BOOKED');
    });

    it('cannot tell, never NOT_BOOKED, when its own look-up of a booking it made fails', async (context) => {
      const control = controlOf(context);
      const [connection] = suite.writingWith(context, 'API_BOOKING');
      const slot = await suite.freeSlot(connection!.id);
      const reservationId = suite.reservationId();
      const booked = await suite.mutate('contractBook', {
        connectionId: connection!.id,
        slotId: slot.id,
        reservationId,
        patient: testPatient,
      });
      expect(booked.booking?.status).toBe('BOOKED');
      const lookUp = `query ($c: ID!, $r: ID!) { contractBooking(connectionId: $c, reservationId: $r) { status booking { providerReference } reason } }`;
      for (const status of [503, 500]) {
        const rule = {
          connection: control.connectionOf(connection!.id),
          on: 'reads',
          kind: 'error',
          status,
        } as const;
        const taken = await withFault(control, rule, async () => {
          const answer = await suite.graphql<{
            contractBooking: { status: string; booking: { providerReference: string } | null };
          }>(lookUp, { c: connection!.id, r: reservationId });
          // An error, UNKNOWN, or the booking itself from what the provider kept: a provider
          // whose reads fail cannot know that nothing was booked.
          const said = answer.data?.contractBooking;
          if (said) {
            expect(said.status, `a ${status} on its reads`).not.toBe('NOT_BOOKED');
            if (said.status === 'FOUND') {
              expect(said.booking?.providerReference).toBe(booked.booking?.providerReference);
            }
          } else {
            expect(answer.errors?.[0]?.extensions?.code).toMatch(/^PROVIDER_/);
          }
        });
        // The look-up asked the provider: it did not answer from a copy it kept.
        expect(taken, `a ${status} on its reads`).toBeGreaterThan(0);
      }
      // The fault gone, it finds the booking again.
      expect((await suite.lookUp(connection!.id, reservationId)).status).toBe('FOUND');
    });
  });
}
