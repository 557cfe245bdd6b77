import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSquareSimulator, seededSellers } from '@booking/simulator-square';
import { parseSlotId } from '../src/mapping.js';
import { simulatorConnections, squareProvider } from '../src/provider.js';

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
    const subgraph = createProviderService(
      squareProvider,
      {
        connections,
        providerDeadlineMs: 5000,
        settings: { SQUARE_RESERVATIONS_DIR: mkdtempSync(join(tmpdir(), 'square-index-')) },
      },
      createLogger({ service: 'test', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
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
