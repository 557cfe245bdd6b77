import { describe, expect, it, type TestContext } from 'vitest';
import { bookingFields } from './createContractClient.js';
import {
  type BookingLookup,
  type Connection,
  errorsOf,
  type Slot,
  type SuiteContext,
  slotFields,
  testPatient,
} from './suiteContext.js';

/** How long a change at the clinic may take to show: a push, or one poll of the provider. */
const detectionMs = 15_000;

/** A change made at the clinic through the simulator's control protocol. */
export interface ClinicChange {
  kind: 'CANCEL' | 'MOVE' | 'NO_SHOW' | 'OPEN_SLOT';
  /** The provider's booking id (the contract's `providerReference`), for booking changes. */
  booking?: string;
  /** MOVE: the new start; OPEN_SLOT: the start of the slot to open. RFC 3339. */
  start?: string;
  /** OPEN_SLOT: the clinic (the contract's clinic id). */
  clinic?: string;
}

interface ChangePage {
  changes: {
    id: string;
    kind: string;
    source: string;
    occurredAt: string;
    booking: BookingLookup['booking'];
    slot: Slot | null;
  }[];
  cursor: string;
  hasMore: boolean;
  resumed: boolean;
}

const changesQuery = `query ($c: ID!, $after: String, $first: Int) {
  contractChanges(connectionId: $c, after: $after, first: $first) {
    changes { id kind source occurredAt booking { ${bookingFields} } slot { ${slotFields} } }
    cursor hasMore resumed
  }
}`;

/**
 * What happens at the clinic reaches the platform: a booking cancelled, moved or marked no-show in
 * the provider's own system (through the simulator's `POST /_admin/clinic-changes`) shows in the
 * look-up by reservation id, which scheduling sweeps, and — for a connection with `CHANGES` — in
 * `contractChanges`, as pushed or polled. Skipped against a live system (no control endpoint).
 */
export function describeClinicChanges(suite: SuiteContext): void {
  /** Makes the change at the clinic; skipped when the simulator cannot (501) or has no endpoint (404). */
  async function atClinic(
    context: TestContext,
    connectionId: string,
    change: ClinicChange,
  ): Promise<Record<string, unknown>> {
    const control = suite.running().control;
    if (!control) context.skip(`${suite.system}: no control endpoint (a live system)`);
    const response = await fetch(`${control!.url}/_admin/clinic-changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ connection: control!.connectionOf(connectionId), ...change }),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status === 501) {
      context.skip(`${suite.system}: the simulator cannot make a ${change.kind} at the clinic`);
    }
    // A new provider's skeleton simulator has no such endpoint until its store learns the changes.
    if (response.status === 404) {
      context.skip(
        `${suite.system}: the simulator has no POST /_admin/clinic-changes (docs/adding-a-provider.md)`,
      );
    }
    const body = (await response.json()) as Record<string, unknown>;
    expect(response.status, JSON.stringify(body)).toBe(200);
    return body;
  }

  async function changesAfter(connectionId: string, after: string | null) {
    const answer = await suite.graphql<{ contractChanges: ChangePage }>(changesQuery, {
      c: connectionId,
      after,
      first: 100,
    });
    expect(answer.errors, errorsOf(answer)).toBeUndefined();
    return answer.data!.contractChanges;
  }

  /** Every change after `cursor` until `seen` finds the one wanted (or the detection time ends). */
  async function awaitChange(
    connectionId: string,
    cursor: string,
    seen: (change: ChangePage['changes'][number]) => boolean,
  ) {
    let after = cursor;
    const collected: ChangePage['changes'] = [];
    await expect
      .poll(
        async () => {
          const page = await changesAfter(connectionId, after);
          after = page.cursor;
          collected.push(...page.changes);
          return collected.some(seen);
        },
        { timeout: detectionMs, interval: 250 },
      )
      .toBe(true);
    return collected.find(seen)!;
  }

  /** A booking made through the contract, and the cursor of the connection's changes before it. */
  async function booked(connection: Connection, slot?: Slot) {
    const chosen = slot ?? (await suite.freeSlot(connection.id));
    const reservationId = suite.reservationId();
    const cursor = connection.capabilities.includes('CHANGES')
      ? (await changesAfter(connection.id, null)).cursor
      : null;
    const result = await suite.mutate('contractBook', {
      connectionId: connection.id,
      slotId: chosen.id,
      reservationId,
      patient: testPatient,
    });
    expect(result.error).toBeNull();
    return { slot: chosen, reservationId, booking: result.booking!, cursor };
  }

  /**
   * The look-up says the booking is as `now` (its status, start) within the detection time, and
   * so does a `BOOKING_UPDATED` change after `cursor` for a connection with CHANGES (null without).
   */
  async function reported(
    connectionId: string,
    made: { reservationId: string; cursor: string | null },
    now: Record<string, string>,
  ) {
    const { reservationId, cursor } = made;
    await expect
      .poll(() => suite.lookUp(connectionId, reservationId), {
        timeout: detectionMs,
        interval: 250,
      })
      .toMatchObject({ status: 'FOUND', booking: { reservationId, ...now } });
    if (!cursor) return null;
    return awaitChange(connectionId, cursor, (c) => {
      const booking = c.booking as Record<string, unknown> | null;
      return (
        c.kind === 'BOOKING_UPDATED' &&
        booking?.reservationId === reservationId &&
        Object.entries(now).every(([field, value]) => booking[field] === value)
      );
    });
  }

  describe('changes at the clinic', () => {
    it('answers an empty page at the present for a null cursor, and resumes from an unknown cursor without an error', async (context) => {
      const chosen = suite.applying(
        context,
        suite.connections().filter((c) => c.capabilities.includes('CHANGES')),
        'no connection has CHANGES',
      );
      for (const connection of chosen) {
        const present = await changesAfter(connection.id, null);
        expect(present).toMatchObject({ changes: [], hasMore: false, resumed: false });
        expect(present.cursor.length).toBeGreaterThan(0);
        const unknown = await changesAfter(connection.id, 'a-cursor-of-another-run');
        expect(unknown.resumed).toBe(true);
      }
    });

    it('refuses contractChanges for a connection without CHANGES, with a code', async (context) => {
      const chosen = suite.applying(
        context,
        suite.connections().filter((c) => !c.capabilities.includes('CHANGES')),
        'every connection has CHANGES',
      );
      const answer = await suite.graphql(changesQuery, { c: chosen[0]!.id, after: null });
      expect(answer.errors?.[0]?.extensions?.code).toBe('PROVIDER_REFUSED');
    });

    it('reports a booking cancelled at the clinic: the look-up says CANCELLED, and CHANGES report it', async (context) => {
      const [connection] = suite.writingWith(context, 'API_BOOKING');
      const made = await booked(connection!);
      await atClinic(context, connection!.id, {
        kind: 'CANCEL',
        booking: made.booking.providerReference,
      });
      const change = await reported(connection!.id, made, { status: 'CANCELLED' });
      if (change) {
        expect(Number.isNaN(Date.parse(change.occurredAt))).toBe(false);
        expect(['PUSH', 'POLL']).toContain(change.source);
      }
    });

    it('reports a booking moved at the clinic: the look-up has the new start', async (context) => {
      const [connection] = suite.writingWith(context, 'API_BOOKING');
      const first = await suite.freeSlot(connection!.id);
      const later = (
        await suite.findSlots(
          connection!.id,
          new Date(Date.parse(first.end)),
          new Date(Date.parse(first.start) + 7 * 24 * 3600_000),
          { clinicIds: [first.clinicId] },
        )
      ).find((s) => s.start > first.end);
      if (!later) context.skip(`${suite.system}: no later free slot at the same clinic`);
      const made = await booked(connection!, first);
      await atClinic(context, connection!.id, {
        kind: 'MOVE',
        booking: made.booking.providerReference,
        start: later!.start,
      });
      await reported(connection!.id, made, { status: 'BOOKED', start: later!.start });
    });

    it('reports a booking marked no-show at the clinic: the look-up says NO_SHOW', async (context) => {
      const [connection] = suite.writingWith(context, 'API_BOOKING');
      const made = await booked(connection!);
      await atClinic(context, connection!.id, {
        kind: 'NO_SHOW',
        booking: made.booking.providerReference,
      });
      await reported(connection!.id, made, { status: 'NO_SHOW' });
    });

    it('reports a slot opened at the clinic as SLOT_OPENED, and a search finds it', async (context) => {
      const chosen = suite.applying(
        context,
        suite.connections().filter((c) => c.capabilities.includes('CHANGES')),
        'no connection has CHANGES',
      );
      const connection = chosen[0]!;
      const clinic = connection.clinics.find((c) => c.treatmentIds.length > 0)!;
      const cursor = (await changesAfter(connection.id, null)).cursor;
      const opened = await atClinic(context, connection.id, {
        kind: 'OPEN_SLOT',
        clinic: clinic.id,
        start: new Date(suite.now.getTime() + 2 * 24 * 3600_000).toISOString(),
      });
      const change = await awaitChange(connection.id, cursor, (c) => c.kind === 'SLOT_OPENED');
      expect(change.slot).not.toBeNull();
      const start = Date.parse(change.slot!.start);
      const found = await suite.findSlots(
        connection.id,
        new Date(start),
        new Date(Date.parse(change.slot!.end)),
      );
      expect(
        found.map((s) => s.id),
        JSON.stringify(opened),
      ).toContain(change.slot!.id);
    });
  });
}
