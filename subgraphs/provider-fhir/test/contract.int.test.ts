import { runProviderContractSuite } from '@booking/provider-contract-tests';
import { fhirUnderTest } from './fhirUnderTest.js';

runProviderContractSuite(fhirUnderTest);
