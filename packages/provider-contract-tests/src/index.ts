export { type CapturedLogs, captureLogs } from './captureLogs.js';
export type { ProviderUnderTest, RunningProvider } from './providerUnderTest.js';
export { runProviderContractSuite } from './runProviderContractSuite.js';
