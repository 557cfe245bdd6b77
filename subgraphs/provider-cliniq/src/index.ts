import { createLogger, runService } from '@booking/server-kit';
import { loadEnvironment } from './environment.js';
import { createCliniqSubgraph } from './server.js';

await runService('provider-cliniq', async () => {
  const environment = loadEnvironment();
  const logger = createLogger({ service: 'provider-cliniq', level: environment.logLevel });
  const service = createCliniqSubgraph(environment, logger);
  await service.listen(environment.port, environment.host);
  logger.info(
    { connections: environment.tenants.map((t) => `cliniq-${t.tenant}`) },
    'serving Cliniq tenants',
  );
  return { stop: () => service.close(), logger };
});
