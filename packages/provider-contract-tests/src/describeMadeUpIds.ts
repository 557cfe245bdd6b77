import { describe, expect, it, type TestContext } from 'vitest';
import type { SimulatorControlEndpoint } from './providerUnderTest.js';
import { type SuiteContext, testPatient } from './suiteContext.js';

/**
 * Ids no system issues, as a hostile or careless client sends them: far too long (a 16 KB id once
 * made a vendor answer 431), a path, a query string, blank, control characters.
 */
export const madeUpIds = ['x'.repeat(4096), '../../admin', 'a/b?c=d#e', ' ', '\u0000\r\n'];

/** Requests the simulator counted for one of its connections (`*`: all of them). */
async function requestsSeen(control: SimulatorControlEndpoint, connection: string) {
  const response = await fetch(`${control.url}/_admin/traffic`);
  if (!response.ok)
    throw new Error(`the simulator refused GET /_admin/traffic: ${response.status}`);
  const { connections } = (await response.json()) as {
    connections: Record<string, { requests: number }>;
  };
  const counted = Object.entries(connections).filter(([name]) =>
    connection === '*' ? true : name === connection,
  );
  return counted.reduce((sum, [, traffic]) => sum + traffic.requests, 0);
}

/**
 * Made-up ids are the client's mistake, never the provider's: each is answered as unknown (a null
 * slot, SLOT_UNAVAILABLE, no slots) without a request to the provider's system, so no client can
 * make a vendor refuse and have that count against the provider's health.
 */
export function describeMadeUpIds(suite: SuiteContext): void {
  /**
   * Runs `work` and checks the simulator saw no request of the connection meanwhile. A connection's
   * background work (a change poll) may ask the system at any moment, so a window with requests is
   * tried again, three times in all: a made-up id that reaches the system does so every time.
   */
  async function withoutRequests(connectionId: string, work: () => Promise<void>) {
    const control = suite.running().control;
    // A live system (or one answering from a copy it syncs) is not counted; the answers still are.
    const counted = control && !control.readsServedFromCopy ? control : undefined;
    const connection = counted?.connectionOf(connectionId) ?? '*';
    let seen = 0;
    for (let attempt = 0; attempt < 3; attempt += 1) {
      const before = counted ? await requestsSeen(counted, connection) : 0;
      await work();
      seen = counted ? (await requestsSeen(counted, connection)) - before : 0;
      if (seen === 0) return;
    }
    expect(seen, 'requests to the system while answering made-up ids').toBe(0);
  }

  describe('ids the system never issued', () => {
    it('answers made-up slot and practitioner ids as unknown without asking the system', async () => {
      const from = new Date(suite.now.getTime() + 24 * 3600_000);
      const to = new Date(from.getTime() + 7 * 24 * 3600_000);
      for (const connection of suite.connections()) {
        await withoutRequests(connection.id, async () => {
          for (const id of madeUpIds) {
            expect(await suite.slotState(connection.id, id)).toBeNull();
            expect(await suite.findSlots(connection.id, from, to, { practitionerId: id })).toEqual(
              [],
            );
          }
        });
      }
    });

    it('refuses a hold or booking of a made-up slot id as SLOT_UNAVAILABLE without asking the system', async (context: TestContext) => {
      for (const connection of suite.writingWith(context, 'API_BOOKING')) {
        await withoutRequests(connection.id, async () => {
          for (const id of madeUpIds) {
            const hold = {
              connectionId: connection.id,
              slotId: id,
              reservationId: suite.reservationId(),
            };
            const book = { ...hold, patient: testPatient };
            expect((await suite.mutate('contractBook', book)).error?.code).toBe('SLOT_UNAVAILABLE');
            expect((await suite.mutate('contractHold', hold)).error?.code).toBe('SLOT_UNAVAILABLE');
          }
        });
      }
    });
  });
}
