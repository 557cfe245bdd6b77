import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createLogger } from '@booking/server-kit';
import { create__Name__Simulator } from '@booking/simulator-__name__';
import { create__Name__Subgraph } from '../src/server.js';

/** The __Name__ provider for the contract test kit: its simulator and subgraph, in process. */
export const __name__UnderTest: ProviderUnderTest = {
  system: '__name__',
  async start({ now }) {
    const simulator = create__Name__Simulator({ clock: () => now });
    const base = await simulator.listen(0);
    const subgraph = create__Name__Subgraph(
      { baseUrl: `${base}/`, deadlineMs: 5000 },
      createLogger({ service: 'test', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: ['__name__-default'],
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
