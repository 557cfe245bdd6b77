import { createLogger, runService } from '@booking/server-kit';
import { loadEnvironment } from './environment.js';
import { createFhirSubgraph } from './server.js';

await runService('provider-fhir', async () => {
  const environment = loadEnvironment();
  const logger = createLogger({ service: 'provider-fhir', level: environment.logLevel });
  const service = createFhirSubgraph(environment, logger);
  await service.listen(environment.port, environment.host);
  logger.info(
    { connections: environment.tenants.map((t) => `fhir-${t.tenant}`) },
    'serving FHIR organisations',
  );
  return { stop: () => service.close(), logger };
});
