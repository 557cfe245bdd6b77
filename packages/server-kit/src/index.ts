export { abortable } from './abortable.js';
export {
  createHttpService,
  type HttpService,
  type HttpServiceOptions,
  internalSecretHeader,
  type Readiness,
} from './createHttpService.js';
export { createLogger, type Logger, type LoggerOptions, redactedPaths } from './createLogger.js';
export { allows, allScopes, identityHeaders, parseScopes, Scope } from './identity.js';
export {
  ConfigurationError,
  developmentInternalSecret,
  developmentSecret,
  internalSecret,
  jsonListVariable,
  keyValueList,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from './parseEnvironment.js';
export { runService } from './runService.js';
