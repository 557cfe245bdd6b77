import { runSimulator } from '@booking/simulator-kit';
import { readEnvironment } from './environment.js';
import { createSmartSimulator } from './server.js';

await runSimulator('simulator-smart', async (logger) => {
  const config = readEnvironment();
  const { publication } = config;
  const simulator = createSmartSimulator({
    latencyMs: config.control.latencyMs,
    faultRate: config.control.faultRate,
    maxAgeSeconds: publication.maxAgeSeconds,
    ...(publication.daysAhead !== undefined && { daysAhead: publication.daysAhead }),
    ...(publication.standardsDir && { standardsDirectory: publication.standardsDir }),
    ...(publication.publicUrl && { publicUrl: publication.publicUrl }),
    logger,
  });
  const url = await simulator.listen(config.port, config.host);
  return {
    url,
    details: { manifests: [`${url}/example/$bulk-publish`, `${url}/sverige/$bulk-publish`] },
    close: () => simulator.close(),
  };
});
