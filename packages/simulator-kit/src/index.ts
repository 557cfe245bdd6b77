export { createRandom, hashString } from './createRandom.js';
export {
  ConfigurationError,
  host,
  integer,
  optionalInteger,
  parseSimulatorEnvironment,
  port,
  share,
  unsetIfEmpty,
} from './parseSimulatorEnvironment.js';
export { log, type RunningSimulator, runSimulator, type SimulatorLogger } from './runSimulator.js';
