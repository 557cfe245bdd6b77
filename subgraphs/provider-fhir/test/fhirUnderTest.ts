import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createLogger } from '@booking/server-kit';
import { createFhirSimulator, fhirBasePath } from '@booking/simulator-fhir';
import { createFhirSubgraph } from '../src/server.js';

const tenants = [
  { tenant: 'halsanord', name: 'Hälsa Nord Vårdcentraler', organization: 'halsanord' },
  { tenant: 'sydvarden', name: 'Sydvården', organization: 'sydvarden' },
];

/** The FHIR provider for the contract test kit: its simulator and subgraph, in process. */
export const fhirUnderTest: ProviderUnderTest = {
  system: 'fhir',
  async start({ now }) {
    // A frozen clock on both sides: the suite's searches and holds are placed relative to it.
    const simulator = createFhirSimulator({ clock: () => now });
    const base = await simulator.listen(0);
    const subgraph = createFhirSubgraph(
      {
        tenants: tenants.map((t) => ({ ...t, baseUrl: `${base}${fhirBasePath}` })),
        providerDeadlineMs: 5000,
        now: () => now.getTime(),
      },
      createLogger({ service: 'provider-fhir', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: tenants.map((t) => `fhir-${t.tenant}`),
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
