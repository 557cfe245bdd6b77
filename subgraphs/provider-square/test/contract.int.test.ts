import { runProviderContractSuite } from '@booking/provider-contract-tests';
import { squareUnderTest } from './squareUnderTest.js';

runProviderContractSuite(squareUnderTest);
