export { abortable } from './abortable.js';
export {
  createHttpService,
  type HttpService,
  type HttpServiceOptions,
  internalSecretHeader,
  type Readiness,
} from './createHttpService.js';
export { createLogger, type Logger, type LoggerOptions, redactedPaths } from './createLogger.js';
export {
  ConfigurationError,
  developmentInternalSecret,
  developmentSecret,
  environmentReader,
  type Frozen,
  internalSecret,
  jsonListVariable,
  keyValueList,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from './environment.js';
export { allows, allScopes, identityHeaders, parseScopes, Scope } from './identity.js';
export { runService } from './runService.js';
export { type StaticFile, sendStaticFile, staticFile } from './staticFile.js';
