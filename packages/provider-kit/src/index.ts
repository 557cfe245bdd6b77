export { abortable } from '@booking/server-kit';
export type * from './__generated__/contract.js';
export { contractSchemaPath, contractTypeDefs } from './contractSchema.js';
export {
  bookingFailure,
  type ConnectionConfig,
  type ConnectionDescription,
  createProviderSubgraph,
  deadlineHeader,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderRequestContext,
} from './createProviderSubgraph.js';
export { connectionFailure, ProviderError, ProviderErrorCode, toGraphQLError } from './errors.js';
export { type Disambiguation, instantToLocal, localToInstant } from './localTime.js';
