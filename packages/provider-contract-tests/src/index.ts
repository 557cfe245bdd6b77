export { type CapturedLogs, captureLogs } from './captureLogs.js';
export type {
  ContractSuiteOptions,
  ProviderUnderTest,
  RunningProvider,
  SimulatorControlEndpoint,
} from './providerUnderTest.js';
export { contractSuiteNow, runProviderContractSuite } from './runProviderContractSuite.js';
