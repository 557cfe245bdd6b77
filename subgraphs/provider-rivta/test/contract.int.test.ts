import { runProviderContractSuite } from '@booking/provider-contract-tests';
import { rivtaUnderTest } from './rivtaUnderTest.js';

runProviderContractSuite(rivtaUnderTest);
