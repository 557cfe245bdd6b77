import { contractSuiteNow, type RunningProvider } from '@booking/provider-contract-tests';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { pollIntervalMs, smartUnderTest } from './smartUnderTest.js';

let running: RunningProvider;
beforeAll(async () => {
  running = await smartUnderTest.start({ now: contractSuiteNow });
});
afterAll(() => running.stop());

async function changesAfter(after: string | null) {
  const res = await fetch(running.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      query: `query ($after: String) { contractChanges(connectionId: "smart-sverige", after: $after) {
        changes { kind slot { id } } cursor } }`,
      variables: { after },
    }),
    signal: AbortSignal.timeout(5000),
  });
  const body = (await res.json()) as {
    data: {
      contractChanges: { changes: { kind: string; slot: { id: string } }[]; cursor: string };
    };
  };
  return body.data.contractChanges;
}

/**
 * The time from a slot opened at the clinic to its SLOT_OPENED in `contractChanges`: at most one
 * poll interval, plus the background check's period (a second) and the poll's own time.
 */
it('reports a slot opened at the clinic within a poll interval and the background check’s second (five openings measured)', async () => {
  const lags: number[] = [];
  for (let day = 2; day < 7; day += 1) {
    let cursor = (await changesAfter(null)).cursor;
    const opened = await fetch(`${running.control!.url}/_admin/clinic-changes`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        connection: 'sverige',
        kind: 'OPEN_SLOT',
        clinic: 'sthlm-sodermalm',
        start: new Date(contractSuiteNow.getTime() + day * 86_400_000).toISOString(),
      }),
    });
    const startedAt = performance.now();
    const { slot } = (await opened.json()) as { slot: { id: string } };
    let seen = false;
    while (!seen && performance.now() - startedAt < 10_000) {
      const page = await changesAfter(cursor);
      cursor = page.cursor;
      seen = page.changes.some((c) => c.kind === 'SLOT_OPENED' && c.slot.id === slot.id);
      if (!seen) await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect(seen).toBe(true);
    lags.push(Math.round(performance.now() - startedAt));
  }
  console.info(
    `SMART detection lag with a ${pollIntervalMs} ms poll interval: ${lags.join(', ')} ms (max ${Math.max(...lags)} ms)`,
  );
  expect(Math.max(...lags)).toBeLessThanOrEqual(2 * pollIntervalMs + 1000);
});
