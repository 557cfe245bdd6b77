import { runProvider } from '@booking/provider-kit';
import { rivtaProvider } from './provider.js';

await runProvider(rivtaProvider);
