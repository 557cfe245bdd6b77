import { runSimulator } from '@booking/simulator-kit';
import { readEnvironment } from './environment.js';
import { createCliniqSimulator } from './server.js';

await runSimulator('simulator-cliniq', async (logger) => {
  const config = readEnvironment();
  const simulator = createCliniqSimulator({
    latencyMs: config.control.latencyMs,
    responseDelayMs: config.control.responseDelayMs,
    faultRate: config.control.faultRate,
    rateLimitPerSecond: config.control.rateLimitPerSecond,
    holdTtlSeconds: config.bookings.holdTtlSeconds,
    daysAhead: config.bookings.daysAhead,
    logger,
  });
  const url = await simulator.listen(config.port, config.host);
  return { url, close: () => simulator.close() };
});
