import { runSimulator } from '@booking/simulator-kit';
import { parseEnvironment } from './environment.js';
import { createSmartSimulator } from './server.js';

await runSimulator('simulator-smart', async (logger) => {
  const environment = parseEnvironment();
  const simulator = createSmartSimulator({
    latencyMs: environment.SMART_LATENCY_MS,
    faultRate: environment.SMART_FAULT_RATE,
    maxAgeSeconds: environment.SMART_MAX_AGE_SECONDS,
    ...(environment.SMART_DAYS_AHEAD !== undefined && { daysAhead: environment.SMART_DAYS_AHEAD }),
    ...(environment.SMART_STANDARDS_DIR && { standardsDirectory: environment.SMART_STANDARDS_DIR }),
    ...(environment.SMART_PUBLIC_URL && { publicUrl: environment.SMART_PUBLIC_URL }),
    logger,
  });
  const url = await simulator.listen(environment.PORT, environment.HOST);
  return {
    url,
    details: { manifests: [`${url}/example/$bulk-publish`, `${url}/sverige/$bulk-publish`] },
    close: () => simulator.close(),
  };
});
