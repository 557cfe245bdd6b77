import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSmartSimulator } from '@booking/simulator-smart';
import { simulatorConnections, smartProvider, smartSettings } from '../src/provider.js';

/**
 * The SMART provider for the contract test kit: its simulator and subgraph, in process. Only the
 * Swedish publisher takes part: the specification's example data is fixed in 2021 and so has no
 * slots in the weeks the suite searches (it is ingested and checked in this package's own tests).
 */
/** How often the subgraph polls the publisher under test: the detection lag of a change. */
export const pollIntervalMs = 1000;

export const smartUnderTest: ProviderUnderTest = {
  system: 'smart',
  async start({ now }) {
    // A frozen clock: the suite's searches are placed relative to it. `max-age=0` and a poll
    // interval of a second (the least the setting allows) let a change at the clinic reach the
    // subgraph within the suite's detection time; production keeps the spec's minute.
    const simulator = createSmartSimulator({ clock: () => now, maxAgeSeconds: 0 });
    const base = await simulator.listen(0);
    const publishers = simulatorConnections(base).filter((p) => p.id === 'sverige');
    const subgraph = createProviderService(
      smartProvider,
      {
        connections: publishers,
        providerDeadlineMs: 5000,
        settings: smartSettings.parse({ SMART_MIN_POLL_INTERVAL_MS: pollIntervalMs }),
      },
      createLogger({ service: 'provider-smart', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
    // Ready once every publisher has been polled once.
    for (let attempt = 0; attempt < 200; attempt += 1) {
      if ((await fetch(`${url}/health/ready`)).ok) break;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: subgraph.connections.map((c) => c.id),
      control: {
        url: base,
        connectionOf: (id) => id.replace(/^smart-/, ''),
        readsServedFromCopy:
          'searches are answered from the publication the subgraph ingested, not per request (publisher faults reach its sync: createPublisherSync.int.test.ts)',
      },
      async takeSlotElsewhere(connectionId, slotId) {
        // Another patient books on the publisher's own portal, as its deep link leads them to.
        const publisher = connectionId.replace(/^smart-/, '');
        const response = await fetch(`${base}/${publisher}/portal/boka`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ slot: slotId, source: 'another-client' }),
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
