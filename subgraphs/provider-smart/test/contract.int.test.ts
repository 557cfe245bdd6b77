import { runProviderContractSuite } from '@booking/provider-contract-tests';
import { smartUnderTest } from './smartUnderTest.js';

runProviderContractSuite(smartUnderTest);
