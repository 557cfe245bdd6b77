import { createProviderSubgraph } from '@booking/provider-kit';
import { createHttpService, type HttpService, type Logger } from '@booking/server-kit';
import { create__Name__Client } from './client/create__Name__Client.js';
import { create__Name__Adapter } from './create__Name__Adapter.js';

export interface __Name__SubgraphConfig {
  /** The vendor's API root, e.g. `http://127.0.0.1:49002/`. */
  readonly baseUrl: string;
  /** How long one call to the vendor may take. */
  readonly deadlineMs: number;
  /** Required in `x-internal-secret` on every GraphQL call. Default: none (tests). */
  readonly internalSecret?: string;
}

/** The __Name__ provider subgraph: the provider contract over the vendor's API. */
export function create__Name__Subgraph(
  config: __Name__SubgraphConfig,
  logger: Logger,
): HttpService {
  const baseUrl = config.baseUrl.endsWith('/') ? config.baseUrl : `${config.baseUrl}/`;
  const adapter = create__Name__Adapter([
    {
      id: '__name__-default',
      name: '__Name__',
      deadlineMs: config.deadlineMs,
      client: create__Name__Client(baseUrl),
    },
  ]);
  const { server, context } = createProviderSubgraph(adapter, logger);
  return createHttpService({
    name: 'provider-__name__',
    logger,
    graphql: { server, context },
    internalSecret: config.internalSecret,
  });
}
