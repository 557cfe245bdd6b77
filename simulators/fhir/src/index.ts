import { runSimulator } from '@booking/simulator-kit';
import { readEnvironment } from './environment.js';
import { createFhirSimulator, fhirBasePath } from './server.js';

await runSimulator('simulator-fhir', async (logger) => {
  const config = readEnvironment();
  const simulator = createFhirSimulator({
    latencyMs: config.control.latencyMs,
    responseDelayMs: config.control.responseDelayMs,
    faultRate: config.control.faultRate,
    // Unset: each location's own booking horizon.
    daysAhead: config.slots.daysAhead,
    seed: config.slots.seed,
    maxPageSize: config.api.maxPageSize,
    ...(config.api.accessToken && { accessToken: config.api.accessToken }),
    subscriptionDelivery: config.subscriptionDelivery,
    logger,
  });
  const url = await simulator.listen(config.port, config.host);
  return {
    url,
    details: {
      fhirBase: `${url}${fhirBasePath}`,
      daysAhead: config.slots.daysAhead ?? 'per location',
    },
    close: () => simulator.close(),
  };
});
