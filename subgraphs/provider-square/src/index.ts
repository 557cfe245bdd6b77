import { runProvider } from '@booking/provider-kit';
import { squareProvider } from './provider.js';

await runProvider(squareProvider);
