import { runSimulator } from '@booking/simulator-kit';
import { parseEnvironment } from './environment.js';
import { createRivtaSimulator } from './server.js';

await runSimulator('simulator-rivta', async (logger) => {
  const environment = parseEnvironment();
  const simulator = createRivtaSimulator({
    standardsDir: environment.standardsDir,
    latencyMs: environment.RIVTA_LATENCY_MS,
    responseDelayMs: environment.RIVTA_RESPONSE_DELAY_MS,
    faultRate: environment.RIVTA_FAULT_RATE,
    daysAhead: environment.RIVTA_DAYS_AHEAD,
    cancelCutoffMinutes: environment.RIVTA_CANCEL_CUTOFF_MINUTES,
    bookingLeadMinutes: environment.RIVTA_BOOKING_LEAD_MINUTES,
    otherPatientsShare: environment.RIVTA_OTHER_PATIENTS_SHARE,
    logger,
  });
  const url = await simulator.listen(environment.PORT, environment.HOST);
  return {
    url,
    details: { standardsDir: environment.standardsDir },
    close: () => simulator.close(),
  };
});
