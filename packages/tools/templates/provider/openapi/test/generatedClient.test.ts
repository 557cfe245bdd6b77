import { describeGeneratedClient } from '@booking/provider-contract-tests';
import * as client from '../src/__generated__/client.gen.js';

describeGeneratedClient('__Name__', client, new URL('../package.json', import.meta.url));
