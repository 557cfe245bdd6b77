import { createLogger, runService } from '@booking/server-kit';
import { readEnvironment } from './environment.js';
import { createGatewayService } from './server.js';

await runService('gateway', async () => {
  const config = readEnvironment();
  const logger = createLogger({ service: 'gateway', level: config.LOG_LEVEL });
  const service = createGatewayService({ config, logger });
  await service.listen(config.PORT, config.HOST);
  return { logger, stop: () => service.close() };
});
