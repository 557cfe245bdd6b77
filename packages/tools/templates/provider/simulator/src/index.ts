import { runSimulator } from '@booking/simulator-kit';
import { parseEnvironment } from './environment.js';
import { create__Name__Simulator } from './server.js';

await runSimulator('simulator-__name__', async (logger) => {
  const environment = parseEnvironment();
  const simulator = create__Name__Simulator({
    latencyMs: environment.__NAME___LATENCY_MS,
    logger,
  });
  const url = await simulator.listen(environment.PORT, environment.HOST);
  return { url, close: () => simulator.close() };
});
