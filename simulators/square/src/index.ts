import { runSimulator } from '@booking/simulator-kit';
import { parseEnvironment } from './environment.js';
import { createSquareSimulator } from './server.js';

await runSimulator('simulator-square', async () => {
  const environment = parseEnvironment();
  const simulator = createSquareSimulator({ latencyMs: environment.SQUARE_LATENCY_MS });
  const url = await simulator.listen(environment.PORT, environment.HOST);
  return { url, close: () => simulator.close() };
});
