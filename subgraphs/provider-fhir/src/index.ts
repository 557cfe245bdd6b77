import { runProvider } from '@booking/provider-kit';
import { fhirProvider } from './provider.js';

await runProvider(fhirProvider);
