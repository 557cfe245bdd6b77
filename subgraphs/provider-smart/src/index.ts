import { runProvider } from '@booking/provider-kit';
import { smartProvider } from './provider.js';

await runProvider(smartProvider);
