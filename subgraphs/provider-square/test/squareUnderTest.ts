import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSquareSimulator, seededSellers } from '@booking/simulator-square';
import { parseSlotId } from '../src/mapping.js';
import { simulatorConnections, squareProvider } from '../src/provider.js';

/** A port free now, for a service whose URL must be known before it listens. */
export async function reservePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The Square provider for the contract test kit: its simulator and subgraph, in process. */
export const squareUnderTest: ProviderUnderTest = {
  system: 'square',
  async start({ now }) {
    // No other customers' bookings: the suite compares opening times across the DST change.
    const simulator = createSquareSimulator({
      clock: () => now,
      rateLimitPerSecond: 10_000,
      bookedShare: 0,
    });
    const base = await simulator.listen(0);
    // One 30-minute service on the 30-minute grid: the suite hands out its slots as independent,
    // and Square's availabilities of services of different lengths overlap.
    const connections = simulatorConnections(base).map((entry) => ({
      ...entry,
      treatments: { ITFYSATERBESOK00000001: 'physiotherapy' },
    }));
    // Square's webhooks need the subgraph's URL before it listens: its port is chosen first.
    const port = await reservePort();
    const subgraph = createProviderService(
      squareProvider,
      {
        connections,
        providerDeadlineMs: 5000,
        pushBaseUrl: `http://127.0.0.1:${port}`,
        reservations: { directory: mkdtempSync(join(tmpdir(), 'square-index-')) },
      },
      createLogger({ service: 'test', level: 'silent' }),
      // The suite's fixed clock, which the simulator stamps its events with: the freshness check
      // of pushes runs on it.
      { now: () => now.getTime() },
    );
    const url = await subgraph.listen(port);
    await Promise.all(subgraph.connections.map((c) => c.webhooks?.subscription.succeeded()));
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: subgraph.connections.map((c) => c.id),
      // The simulator's control protocol knows its sellers by merchant id.
      control: {
        url: base,
        connectionOf(connectionId) {
          const entry = connections.find((c) => `square-${c.id}` === connectionId);
          const seller = seededSellers.find((s) => s.accessToken === entry?.accessToken);
          if (!seller) throw new Error(`no seeded seller serves ${connectionId}`);
          return seller.merchantId;
        },
      },
      async takeSlotElsewhere(connectionId, slotId) {
        const key = parseSlotId(slotId);
        const entry = connections.find((c) => `square-${c.id}` === connectionId);
        if (!key || !entry) throw new Error(`not a Square slot of ${connectionId}: ${slotId}`);
        simulator.bookElsewhere({
          accessToken: entry.accessToken,
          locationId: entry.locationId,
          teamMemberId: key.team_member_id,
          serviceVariationId: key.service_variation_id,
          startAt: new Date(key.startMs).toISOString(),
        });
      },
      async stop() {
        await subgraph.close();
        await simulator.close();
      },
    };
  },
};
