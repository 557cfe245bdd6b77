import { createLogger, runService } from '@booking/server-kit';
import { readEnvironment } from './environment.js';
import { createGatewayService } from './server.js';

await runService('gateway', async () => {
  const config = readEnvironment();
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  const service = createGatewayService({ config, logger });
  await service.listen(config.port, config.host);
  return { logger, stop: () => service.close() };
});
