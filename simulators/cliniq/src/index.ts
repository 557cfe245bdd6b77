import { runSimulator } from '@booking/simulator-kit';
import { parseEnvironment } from './environment.js';
import { createCliniqSimulator } from './server.js';

await runSimulator('simulator-cliniq', async (logger) => {
  const environment = parseEnvironment();
  const simulator = createCliniqSimulator({
    latencyMs: environment.CLINIQ_LATENCY_MS,
    responseDelayMs: environment.CLINIQ_RESPONSE_DELAY_MS,
    faultRate: environment.CLINIQ_FAULT_RATE,
    rateLimitPerSecond: environment.CLINIQ_RATE_LIMIT_PER_SECOND,
    holdTtlSeconds: environment.CLINIQ_HOLD_TTL_SECONDS,
    daysAhead: environment.CLINIQ_DAYS_AHEAD,
    logger,
  });
  const url = await simulator.listen(environment.PORT, environment.HOST);
  return { url, close: () => simulator.close() };
});
