import { fileURLToPath } from 'node:url';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { createPageRoutes } from './createPageRoutes.js';
import type { PageConfig } from './environment.js';

export interface WebServiceOptions {
  config: PageConfig;
  logger: Logger;
  /** Where the built page is. Default: `dist/public/`, beside the compiled server. */
  directory?: string;
}

/**
 * The page's server: the built page and its configuration, `/health/live` and `/health/ready`
 * (ready once the page is read: it needs nothing else to be served), graceful shutdown.
 */
export function createWebService(options: WebServiceOptions): HttpService {
  const directory = options.directory ?? fileURLToPath(new URL('./public/', import.meta.url));
  return createHttpService({
    name: 'example-web',
    logger: options.logger,
    routes: createPageRoutes({ directory, config: options.config }),
  });
}
