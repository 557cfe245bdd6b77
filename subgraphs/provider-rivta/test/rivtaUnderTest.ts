import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProviderUnderTest } from '@booking/provider-contract-tests';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { Agent } from 'undici';
import { createRivtaSimulator } from '../../../simulators/rivta/src/server.js';
import { createRivtaClient } from '../src/client/createRivtaClient.js';
import { rivtaProvider, simulatorConnections } from '../src/provider.js';
import { requestedTimeslot, slotIds } from '../src/slotReference.js';

/** Another patient than the suite's: Luhn-valid, born 1980-02-02. */
const otherPatient = '198002029877';

/**
 * The RIV-TA subgraph and its simulator for the contract suite: the simulator's clock starts at
 * the suite's `now` and runs on from there, so its timeslots (28 days ahead, weekly schedules in
 * Stockholm wall time) span the DST change the suite searches across. Stopping fails when any
 * message either side sent did not validate against the official schemas.
 */
export const rivtaUnderTest: ProviderUnderTest = {
  system: 'rivta',
  async start({ now }) {
    const offset = now.getTime() - Date.now();
    const simulator = createRivtaSimulator({
      clock: () => new Date(Date.now() + offset),
      // The suite compares each performer's first free slot of a day before and after the DST
      // change; other patients' bookings would move some of them, indistinguishable from a
      // conversion error. The simulator's own tests keep them.
      otherPatientsShare: 0,
    });
    const base = await simulator.listen(0);
    const units = simulatorConnections(base);
    const subgraph = createProviderService(
      rivtaProvider,
      {
        connections: units,
        providerDeadlineMs: 5_000,
        reservations: { directory: mkdtempSync(join(tmpdir(), 'rivta-index-')) },
      },
      createLogger({ service: 'provider-rivta', level: 'silent' }),
    );
    const url = await subgraph.listen(0);
    const agent = new Agent();
    return {
      graphqlUrl: `${url}/graphql`,
      connectionIds: subgraph.connections.map((c) => c.id),
      control: {
        url: base,
        connectionOf: (id) => units.find((u) => `rivta-${u.id}` === id)?.logicalAddress ?? id,
      },
      async takeSlotElsewhere(connectionId, slotId) {
        const unit = units.find((u) => `rivta-${u.id}` === connectionId);
        const decoded = slotIds.decode(slotId);
        const key = decoded.ok ? decoded.value : undefined;
        if (!unit || !key) throw new Error(`no slot ${slotId} at ${connectionId}`);
        const client = createRivtaClient({
          baseUrl: unit.baseUrl,
          logicalAddress: unit.logicalAddress,
          dispatcher: agent,
        });
        const outcome = await client.send(
          'MakeBooking',
          {
            ...requestedTimeslot(key),
            subjectOfCare: otherPatient,
            subject: { firstName: 'Annan', lastName: 'Patient' },
            purpose: '1177 Vårdguiden',
          },
          { signal: AbortSignal.timeout(5_000), deadlineAt: Date.now() + 5_000 },
        );
        if (!outcome.ok || outcome.value.resultCode === 'ERROR') {
          throw new Error(`the simulator refused to book ${slotId} for another patient`);
        }
      },
      async stop() {
        await subgraph.close();
        await agent.close();
        await simulator.close();
        const { stats } = simulator.state;
        if (stats.invalidRequests > 0 || stats.invalidResponses > 0) {
          throw new Error(`messages failed schema validation: ${stats.lastProblems.join('; ')}`);
        }
      },
    };
  },
};
