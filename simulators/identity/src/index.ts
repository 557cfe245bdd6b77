import { runSimulator } from '@booking/simulator-kit';
import { readEnvironment } from './environment.js';
import { createIdentityServer } from './server.js';

await runSimulator('simulator-identity', async (logger) => {
  const config = readEnvironment();
  const server = createIdentityServer({
    issuer: config.issuer,
    webRedirectUris: config.webRedirectUris,
    accessTokenTtlSeconds: config.accessTokenTtlSeconds,
    logger,
  });
  const url = await server.listen(config.port, config.host);
  return {
    url,
    details: {
      issuer: server.issuer,
      discovery: `${url}/.well-known/openid-configuration`,
    },
    close: () => server.close(),
  };
});
