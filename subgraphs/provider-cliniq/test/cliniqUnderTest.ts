import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createCliniqSimulator } from '@booking/simulator-cliniq';
import { cliniqProvider, simulatorConnections } from '../src/provider.js';

/** The Cliniq provider for the contract test kit: its simulator and subgraph, in process. */
export const cliniqUnderTest: ProviderUnderTest = {
  system: 'cliniq',
  async start({ now }) {
    // A frozen clock: the suite's searches and holds are placed relative to it.
    const simulator = createCliniqSimulator({ clock: () => now, rateLimitPerSecond: 10_000 });
    const base = await simulator.listen(0);
    const tenants = simulatorConnections(base);
    const subgraph = createProviderService(
      cliniqProvider,
      {
        connections: tenants,
        providerDeadlineMs: 5000,
        // Changes at the clinic show within about a second; a fault check's long Retry-After
        // delays the poll by at most three.
        settings: { changePollMs: 1000, changePollMaxBackoffMs: 3000 },
      },
      createLogger({ service: 'provider-cliniq', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: subgraph.connections.map((c) => c.id),
      control: { url: base, connectionOf: (id) => id.replace(/^cliniq-/, '') },
      async takeSlotElsewhere(connectionId, slotId) {
        const tenant = tenants.find((t) => `cliniq-${t.id}` === connectionId)!;
        const response = await fetch(`${tenant.baseUrl}/bookings`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-api-key': tenant.apiKey },
          body: JSON.stringify({
            slotId,
            externalRef: `another-client-${slotId}`,
            patient: {
              personalIdentityNumber: '198507099805',
              firstName: 'Other',
              lastName: 'Patient',
            },
          }),
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
