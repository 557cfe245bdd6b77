import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSquareSimulator } from '@booking/simulator-square';
import { simulatorConnections, squareProvider } from '../src/provider.js';

/** The Square provider for the contract test kit: its simulator and subgraph, in process. */
export const squareUnderTest: ProviderUnderTest = {
  system: 'square',
  async start({ now }) {
    const simulator = createSquareSimulator({ clock: () => now });
    const base = await simulator.listen(0);
    const subgraph = createProviderService(
      squareProvider,
      { connections: simulatorConnections(base), providerDeadlineMs: 5000 },
      createLogger({ service: 'test', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: subgraph.connections.map((c) => c.id),
      async takeSlotElsewhere(_connectionId, slotId) {
        const response = await fetch(`${base}/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ slotId, externalRef: `another-client-${slotId}` }),
        });
        if (response.status !== 201)
          throw new Error(`booking elsewhere failed: ${response.status}`);
      },
      async stop() {
        await subgraph.close();
        await simulator.close();
      },
    };
  },
};
