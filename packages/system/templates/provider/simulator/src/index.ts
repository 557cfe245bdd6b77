import { createLogger, parseEnvironment, port, runService } from '@booking/server-kit';
import { z } from 'zod';
import { create__Name__Simulator } from './server.js';

await runService('simulator-__name__', async () => {
  const config = parseEnvironment(
    'simulator-__name__',
    z.object({
      PORT: port(49002),
      HOST: z.string().default('127.0.0.1'),
      LATENCY_MS: z.coerce.number().int().min(0).default(0),
    }),
  );
  const simulator = create__Name__Simulator({ latencyMs: config.LATENCY_MS });
  await simulator.listen(config.PORT, config.HOST);
  return { logger: createLogger({ service: 'simulator-__name__' }), stop: () => simulator.close() };
});
