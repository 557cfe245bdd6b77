import { runProvider } from '@booking/provider-kit';
import { __name__Provider } from './provider.js';

await runProvider(__name__Provider);
