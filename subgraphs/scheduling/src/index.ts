import { createLogger, runService } from '@booking/server-kit';
import { readEnvironment } from './environment.js';
import { createSchedulingService } from './server.js';

await runService('scheduling', async () => {
  const config = readEnvironment();
  const logger = createLogger({ service: 'scheduling', level: config.logLevel });
  const service = await createSchedulingService({ config, logger });
  await service.start();
  await service.http.listen(config.port, config.host);
  return { logger, stop: () => service.stop() };
});
