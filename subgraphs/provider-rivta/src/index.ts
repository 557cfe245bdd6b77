import { createLogger, runService } from '@booking/server-kit';
import { loadEnvironment } from './environment.js';
import { createRivtaSubgraph } from './server.js';

await runService('provider-rivta', async () => {
  const environment = loadEnvironment();
  const logger = createLogger({ service: 'provider-rivta', level: environment.logLevel });
  const service = createRivtaSubgraph(environment, logger);
  await service.listen(environment.port, environment.host);
  logger.info(
    { connections: environment.units.map((u) => `rivta-${u.unit}`), baseUrl: environment.baseUrl },
    'serving RIV-TA care units',
  );
  return { stop: () => service.close(), logger };
});
