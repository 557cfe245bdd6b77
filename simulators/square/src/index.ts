import { runSimulator } from '@booking/simulator-kit';
import { createClock, readEnvironment } from './environment.js';
import { createSquareSimulator } from './server.js';

await runSimulator('simulator-square', async (logger) => {
  const config = readEnvironment();
  const simulator = createSquareSimulator({
    clock: createClock(config.now),
    seed: config.sellers.seed,
    bookedShare: config.sellers.bookedShare,
    rateLimitPerSecond: config.control.rateLimitPerSecond,
    latencyMs: config.control.latencyMs,
    responseDelayMs: config.control.responseDelayMs,
    faultRate: config.control.faultRate,
    webhooks: config.webhooks,
    logger,
  });
  const url = await simulator.listen(config.port, config.host);
  return { url, details: { api: `${url}/v2` }, close: () => simulator.close() };
});
