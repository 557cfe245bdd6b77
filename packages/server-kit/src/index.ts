export {
  createHttpService,
  type HttpService,
  type HttpServiceOptions,
  type Readiness,
} from './createHttpService.js';
export { createLogger, type Logger, type LoggerOptions, redactedPaths } from './createLogger.js';
export {
  ConfigurationError,
  jsonListVariable,
  keyValueList,
  logLevel,
  milliseconds,
  nodeEnv,
  parseEnvironment,
  port,
} from './parseEnvironment.js';
export { runService } from './runService.js';
