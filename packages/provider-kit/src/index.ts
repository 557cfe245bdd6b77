export { abortable } from '@booking/server-kit';
export type * from './__generated__/contract.js';
export {
  type BackgroundTask,
  type BackgroundTaskDefinition,
  type BackgroundTaskStatus,
  createBackgroundTask,
  type RunningBackgroundTask,
} from './background/createBackgroundTask.js';
export {
  type ConnectionTraffic,
  createConnectionTraffic,
} from './background/createConnectionTraffic.js';
export {
  type BatchLoader,
  type BatchLoaderOptions,
  createBatchLoader,
} from './batch/createBatchLoader.js';
export {
  type BookingLookup,
  bookingFound,
  cannotTell,
  notBooked,
  toContractLookup,
} from './bookingLookup.js';
export {
  type CatalogueCache,
  type CatalogueCacheOptions,
  createCatalogueCache,
  defaultCatalogueRefreshMs,
} from './cache/createCatalogueCache.js';
export {
  type ChangeLog,
  type ChangeLogOptions,
  createChangeLog,
} from './changes/createChangeLog.js';
export {
  createPostgresChangeLogs,
  type PostgresChangeLogs,
} from './changes/createPostgresChangeLogs.js';
export { type PushAnswer, type PushRequest, pushPath } from './changes/receivePush.js';
export {
  answeringSlots,
  bookingFailure,
  chunked,
  identityNumberFailure,
  maxWindowDays,
  reservationReusedFailure,
  type SlotFilters,
  type SlotWindow,
  slotWindow,
  typedUnavailable,
} from './contractRules.js';
export { contractSchemaPath, contractTypeDefs } from './contractSchema.js';
export {
  type ConnectionConfig,
  type ConnectionDescription,
  createProviderSubgraph,
  deadlineHeader,
  type ProviderAdapter,
  type ProviderCall,
  type ProviderRequestContext,
  type SlotQuery,
} from './createProviderSubgraph.js';
export { connectionFailure, ProviderError, ProviderErrorCode, toGraphQLError } from './errors.js';
export { ianaTimeZone, latitude, longitude } from './fields.js';
export {
  createIdCodec,
  type IdCodec,
  type IdCodecOptions,
  type IdDecoding,
  InvalidIdError,
} from './ids/createIdCodec.js';
export {
  defaultLocalIdFormat,
  isOwnId,
  type LocalIdFormat,
  type LocalIdFormats,
  maxLocalIdLength,
  unknownIdFailure,
} from './ids/localIds.js';
export {
  type Disambiguation,
  instantToLocal,
  localIntervalToInstants,
  localToInstant,
} from './localTime.js';
export {
  type CursorPage,
  createOperationClient,
  type OperationRequest,
  outcomeValue,
} from './openapi/createOperationClient.js';
export {
  checkOperationInput,
  InvalidOperationInput,
  operationValues,
} from './openapi/operationInput.js';
export {
  type ConnectedProvider,
  connectProvider,
  createProviderService,
  defaultMaxConnections,
  type ProviderService,
  type ProviderServiceConfig,
} from './provider/createProviderService.js';
export {
  type AdapterContext,
  type AnyProviderDefinition,
  type ConnectContext,
  type ConnectionEntry,
  defineProvider,
  type EntryOf,
  type ProviderDefinition,
} from './provider/defineProvider.js';
export {
  connectionsVariable,
  environmentProblems,
  loadProviderEnvironment,
  type ProviderEnvironment,
  providerVariables,
  type ReservationStore,
} from './provider/loadProviderEnvironment.js';
export { runProvider } from './provider/runProvider.js';
export * from './push/index.js';
export * from './reservationIndex/index.js';
export * from './rest/index.js';
export { decodeSlotKey, encodeSlotKey } from './slotKey.js';
export { splitWindow } from './splitWindow.js';
