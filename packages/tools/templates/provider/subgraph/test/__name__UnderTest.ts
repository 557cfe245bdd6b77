import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { create__Name__Simulator, tenant } from '@booking/simulator-__name__';
import { __name__Provider, simulatorConnections } from '../src/provider.js';

/** The __Name__ provider for the contract test kit: its simulator and subgraph, in process. */
export const __name__UnderTest: ProviderUnderTest = {
  system: '__name__',
  async start({ now }) {
    const simulator = create__Name__Simulator({ clock: () => now });
    const base = await simulator.listen(0);
    const subgraph = createProviderService(
      __name__Provider,
      { connections: simulatorConnections(base), providerDeadlineMs: 5000 },
      createLogger({ service: 'test', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: subgraph.connections.map((c) => c.id),
      // Faults through the simulator's `/_admin/` protocol, which knows its one tenant.
      control: { url: base, connectionOf: () => tenant },
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
