import { runSimulator } from '@booking/simulator-kit';
import { readEnvironment } from './environment.js';
import { create__Name__Simulator } from './server.js';

await runSimulator('simulator-__name__', async (logger) => {
  const config = readEnvironment();
  const simulator = create__Name__Simulator({
    latencyMs: config.control.latencyMs,
    logger,
  });
  const url = await simulator.listen(config.port, config.host);
  return { url, close: () => simulator.close() };
});
