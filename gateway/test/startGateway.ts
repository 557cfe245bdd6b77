import { createLogger } from '@booking/server-kit';
import { newSigningKey } from '../src/auth/signToken.js';
import { readEnvironment } from '../src/environment.js';
import { createGatewayService } from '../src/server.js';

/**
 * The gateway service alone on a free loopback port, with `env` as its environment (in production
 * with a signing key, issuer and internal secret of its own). Enough for what the gateway answers
 * itself (`{ __typename }`, refusals); subgraphs are not running.
 */
export async function startGateway(env: Record<string, string> = {}) {
  const production =
    env.NODE_ENV === 'production'
      ? {
          AUTH_JWT_PUBLIC_KEYS: JSON.stringify((await newSigningKey('test')).publicJwks),
          AUTH_ISSUER: 'https://idp.gateway.test',
          INTERNAL_SECRET: 'a-test-secret-of-its-own',
        }
      : {};
  const service = createGatewayService({
    config: readEnvironment({ ...production, ...env }),
    logger: createLogger({ service: 'gateway', level: 'silent' }),
  });
  const url = await service.listen(0);
  return {
    url,
    /** POSTs a GraphQL request to the gateway; the answer's status, headers and JSON body. */
    async post(body: unknown, headers: Record<string, string> = {}) {
      const response = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
      });
      return {
        status: response.status,
        headers: response.headers,
        // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
        body: (await response.json()) as any,
      };
    },
    close: () => service.close(),
  };
}
