import { runProvider } from '@booking/provider-kit';
import { cliniqProvider } from './provider.js';

await runProvider(cliniqProvider);
