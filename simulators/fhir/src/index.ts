import { runSimulator } from '@booking/simulator-kit';
import { parseEnvironment } from './environment.js';
import { createFhirSimulator, fhirBasePath } from './server.js';

await runSimulator('simulator-fhir', async (logger) => {
  const environment = parseEnvironment();
  const simulator = createFhirSimulator({
    latencyMs: environment.FHIR_LATENCY_MS,
    responseDelayMs: environment.FHIR_RESPONSE_DELAY_MS,
    faultRate: environment.FHIR_FAULT_RATE,
    // Unset: each location's own booking horizon.
    daysAhead: environment.FHIR_DAYS_AHEAD,
    seed: environment.FHIR_SEED,
    maxPageSize: environment.FHIR_MAX_PAGE_SIZE,
    ...(environment.FHIR_ACCESS_TOKEN && { accessToken: environment.FHIR_ACCESS_TOKEN }),
    logger,
  });
  const url = await simulator.listen(environment.PORT, environment.HOST);
  return {
    url,
    details: {
      fhirBase: `${url}${fhirBasePath}`,
      daysAhead: environment.FHIR_DAYS_AHEAD ?? 'per location',
    },
    close: () => simulator.close(),
  };
});
