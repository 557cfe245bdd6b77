import { createLogger, runService } from '@booking/server-kit';
import { loadEnvironment } from './environment.js';
import { createSmartSubgraph } from './server.js';

await runService('provider-smart', async () => {
  const environment = loadEnvironment();
  const logger = createLogger({ service: 'provider-smart', level: environment.logLevel });
  const service = createSmartSubgraph(environment, logger);
  await service.listen(environment.port, environment.host);
  logger.info(
    { connections: environment.publishers.map((p) => `smart-${p.publisher}`) },
    'polling SMART Scheduling Links publishers',
  );
  return { stop: () => service.close(), logger };
});
