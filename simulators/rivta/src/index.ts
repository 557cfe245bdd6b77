import { runSimulator } from '@booking/simulator-kit';
import { readEnvironment } from './environment.js';
import { createRivtaSimulator } from './server.js';

await runSimulator('simulator-rivta', async (logger) => {
  const config = readEnvironment();
  const simulator = createRivtaSimulator({
    standardsDir: config.standardsDir,
    latencyMs: config.control.latencyMs,
    responseDelayMs: config.control.responseDelayMs,
    faultRate: config.control.faultRate,
    daysAhead: config.timeslots.daysAhead,
    cancelCutoffMinutes: config.timeslots.cancelCutoffMinutes,
    bookingLeadMinutes: config.timeslots.bookingLeadMinutes,
    otherPatientsShare: config.timeslots.otherPatientsShare,
    logger,
  });
  const url = await simulator.listen(config.port, config.host);
  return {
    url,
    details: { standardsDir: config.standardsDir },
    close: () => simulator.close(),
  };
});
