import {
  createLogger,
  internalSecret,
  logLevel,
  milliseconds,
  parseEnvironment,
  port,
  runService,
} from '@booking/server-kit';
import { z } from 'zod';
import { create__Name__Subgraph } from './server.js';

await runService('provider-__name__', async () => {
  const config = parseEnvironment(
    'provider-__name__',
    z.object({
      PORT: port(49001),
      HOST: z.string().default('127.0.0.1'),
      LOG_LEVEL: logLevel,
      INTERNAL_SECRET: internalSecret,
      PROVIDER_DEADLINE_MS: milliseconds(2000),
      __NAME___BASE_URL: z.url().default('http://127.0.0.1:49002/'),
    }),
  );
  const logger = createLogger({ service: 'provider-__name__', level: config.LOG_LEVEL });
  const subgraph = create__Name__Subgraph(
    {
      baseUrl: config.__NAME___BASE_URL,
      deadlineMs: config.PROVIDER_DEADLINE_MS,
      internalSecret: config.INTERNAL_SECRET,
    },
    logger,
  );
  await subgraph.listen(config.PORT, config.HOST);
  return { logger, stop: () => subgraph.close() };
});
