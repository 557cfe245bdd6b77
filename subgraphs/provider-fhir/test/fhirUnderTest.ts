import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createFhirSimulator, fhirConnectionId } from '@booking/simulator-fhir';
import { fhirProvider, simulatorConnections } from '../src/provider.js';
import { freePort } from './freePort.js';

/** The FHIR provider for the contract test kit: its simulator and subgraph, in process. */
export const fhirUnderTest: ProviderUnderTest = {
  system: 'fhir',
  async start({ now }) {
    // A frozen clock on both sides: the suite's searches and holds are placed relative to it.
    const simulator = createFhirSimulator({ clock: () => now });
    const base = await simulator.listen(0);
    // The subgraph's own URL goes into its Subscriptions (its push URLs), so its port is chosen first.
    const port = await freePort();
    const subgraph = createProviderService(
      fhirProvider,
      {
        connections: simulatorConnections(base),
        providerDeadlineMs: 5000,
        pushBaseUrl: `http://127.0.0.1:${port}`,
      },
      createLogger({ service: 'provider-fhir', level: 'silent' }),
      { now: () => now.getTime() },
    );
    const url = await subgraph.listen(port);
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: subgraph.connections.map((c) => c.id),
      // Both organisations share the one server, which cannot tell their requests apart.
      control: { url: base, connectionOf: () => fhirConnectionId },
      async takeSlotElsewhere(_connectionId, slotId) {
        // Another client of the same FHIR server books it: Slot busy and its Appointment, in one
        // version-aware transaction.
        const response = await fetch(`${base}/_admin/take-slot/${encodeURIComponent(slotId)}`, {
          method: 'POST',
        });
        if (response.status !== 200) {
          throw new Error(`booking elsewhere failed: ${response.status}`);
        }
      },
      async stop() {
        await subgraph.close();
        await simulator.close();
      },
    };
  },
};
