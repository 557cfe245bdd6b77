import { runProviderContractSuite } from '@booking/provider-contract-tests';
import { cliniqUnderTest } from './cliniqUnderTest.js';

runProviderContractSuite(cliniqUnderTest);
