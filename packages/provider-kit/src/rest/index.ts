export { describeIssues } from './describeIssues.js';
export {
  type CursorPagesOptions,
  cursorPages,
  type LinkedPagesOptions,
  linkedPages,
  type NumberedPagesOptions,
  nextLink,
  numberedPages,
  type PageAddress,
  pageAddress,
} from './pages.js';
export { parseRetryAfter } from './parseRetryAfter.js';
export { parseVendorValue } from './parseVendorValue.js';
export { type RequestBudget, type SharedBudget, sharedBudget } from './requestBudget.js';
export { type HttpAnswer, type HttpRequest, sendHttpRequest } from './sendHttpRequest.js';
export {
  type RestAuth,
  type RestEndpoint,
  type RestMethod,
  type RestOutcome,
  type RestRequest,
  restUrl,
  sendRestRequest,
  unexpectedOutcome,
} from './sendRestRequest.js';
