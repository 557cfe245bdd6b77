import { runSimulator } from '@booking/simulator-kit';
import { createClock, parseEnvironment } from './environment.js';
import { createSquareSimulator } from './server.js';

await runSimulator('simulator-square', async (logger) => {
  const environment = parseEnvironment();
  const simulator = createSquareSimulator({
    clock: createClock(environment.SQUARE_NOW),
    seed: environment.SQUARE_SEED,
    bookedShare: environment.SQUARE_BOOKED_SHARE,
    rateLimitPerSecond: environment.SQUARE_RATE_LIMIT_PER_SECOND,
    latencyMs: environment.SQUARE_LATENCY_MS,
    responseDelayMs: environment.SQUARE_RESPONSE_DELAY_MS,
    faultRate: environment.SQUARE_FAULT_RATE,
    logger,
  });
  const url = await simulator.listen(environment.PORT, environment.HOST);
  return { url, details: { api: `${url}/v2` }, close: () => simulator.close() };
});
