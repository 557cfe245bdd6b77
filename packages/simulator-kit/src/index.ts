export { type CallSpan, callDepth, maxCallsKept } from './callLog.js';
export { type ClinicChangeRequest, clinicChangeRequest } from './clinicChangeRequest.js';
export type { ConnectionTraffic } from './connectionTraffic.js';
export type {
  ConnectionOverride,
  ControlConfig,
  ControlSettings,
} from './controlConfig.js';
export { createRandom, hashString } from './createRandom.js';
export { createRateLimiter, type RateDecision, type RateLimiter } from './createRateLimiter.js';
export {
  type Admission,
  createSimulatorControl,
  type SimulatorControl,
  type SimulatorControlOptions,
} from './createSimulatorControl.js';
export { type Access, type AccessTarget, allConnections, type FaultRule } from './faultRules.js';
export {
  type OpenApiConformance,
  type OpenApiDocument,
  openApiConformance,
} from './openApiConformance.js';
export { log, type RunningSimulator, runSimulator, type SimulatorLogger } from './runSimulator.js';
export { closeAtOnce, listenOn } from './serverLifecycle.js';
export { host, integer, optionalInteger, port, share, unsetIfEmpty } from './variables.js';
