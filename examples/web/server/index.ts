import { createLogger, runService } from '@booking/server-kit';
import { createWebService } from './createWebService.js';
import { readEnvironment } from './environment.js';

await runService('web', async () => {
  const config = readEnvironment();
  const logger = createLogger({ service: 'web', level: config.logLevel });
  const service = createWebService({ config: config.page, logger });
  await service.listen(config.port, config.host);
  return { logger, stop: () => service.close() };
});
