export type { ProviderUnderTest, RunningProvider } from './providerUnderTest.js';
export { runProviderContractSuite } from './runProviderContractSuite.js';
