export { type CapturedLogs, captureLogs } from './captureLogs.js';
export {
  bookingFields,
  type ContractClient,
  connectionFields,
  createContractClient,
  lookupFields,
  slotsQuery,
} from './createContractClient.js';
export {
  describeGeneratedClient,
  type GeneratedClientModule,
} from './describeGeneratedClient.js';
export type {
  ContractSuiteOptions,
  ProviderUnderTest,
  RunningProvider,
  SimulatorControlEndpoint,
} from './providerUnderTest.js';
export { contractSuiteNow, runProviderContractSuite } from './runProviderContractSuite.js';
export {
  type BookingLookup,
  type BookingResult,
  type Connection,
  type GraphQLAnswer,
  resultFields,
  type Slot,
  slotFields,
  testPatient,
} from './suiteContext.js';
