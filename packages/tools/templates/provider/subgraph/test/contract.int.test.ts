import { runProviderContractSuite } from '@booking/provider-contract-tests';
import { __name__UnderTest } from './__name__UnderTest.js';

runProviderContractSuite(__name__UnderTest);
