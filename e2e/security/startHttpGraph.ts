import {
  createGatewayService,
  newSigningKey,
  readEnvironment as readGatewayEnvironment,
  signToken,
} from '@booking/gateway';
import { cliniqProvider, simulatorConnections } from '@booking/provider-cliniq';
import { createProviderService } from '@booking/provider-kit';
import { createSchedulingService, readEnvironment } from '@booking/scheduling';
import { createLogger, type HttpService, type Scope } from '@booking/server-kit';
import { createCliniqSimulator } from '@booking/simulator-cliniq';
import { providers } from '@booking/tools';

/** One line the gateway logged. */
export interface LogLine {
  level: string;
  msg: string;
  [field: string]: unknown;
}

export interface HttpGraph {
  /** The gateway's base URL; GraphQL at `${url}/graphql`. */
  url: string;
  /** Scheduling's base URL (for asserting that it never leaves the gateway). */
  schedulingUrl: string;
  /** A token the gateway accepts, for `clientId` with `scopes`. */
  token(
    scopes: Scope[],
    options?: { clientId?: string; expiresInSeconds?: number },
  ): Promise<string>;
  /** Every line the gateway logged, oldest first. */
  logs: LogLine[];
  /** Another gateway over the same subgraphs, with more environment (stopped by `stop`). */
  gateway(env: Record<string, string>): Promise<{ url: string; logs: LogLine[] }>;
  stop(): Promise<void>;
}

const secret = 'http-graph-internal-secret-of-its-own';

/**
 * The real gateway service over the real scheduling subgraph and the Cliniq provider subgraph, each
 * on its own loopback port in this process, as `npm start` wires them: the gateway's HTTP shell,
 * authentication, limits, subgraph transport and error handling are all in the path. `env` is the
 * gateway's extra environment, e.g. `{ NODE_ENV: 'production' }`; the gateway gets a signing key,
 * issuer and internal secret of its own, so production starts.
 */
export async function startHttpGraph(env: Record<string, string> = {}): Promise<HttpGraph> {
  const silent = createLogger({ service: 'http-graph', level: 'silent' });
  const stops: (() => Promise<void>)[] = [];
  const simulator = createCliniqSimulator();
  const simulatorUrl = await simulator.listen(0);
  stops.unshift(() => simulator.close());
  const provider = createProviderService(
    cliniqProvider,
    {
      connections: simulatorConnections(simulatorUrl),
      providerDeadlineMs: 2000,
      internalSecret: secret,
    },
    silent,
  );
  const providerUrl = await provider.listen(0);
  stops.unshift(() => provider.close());
  const scheduling = await createSchedulingService({
    config: readEnvironment({
      NODE_ENV: 'test',
      PROVIDER_SUBGRAPHS: `provider-cliniq=${providerUrl}/graphql`,
      LEDGER_DATA_DIR: 'memory://',
      INTERNAL_SECRET: secret,
    }),
    logger: silent,
  });
  await scheduling.start();
  const schedulingUrl = await scheduling.http.listen(0);
  stops.unshift(() => scheduling.stop());

  const issuer = 'https://idp.http-graph.test';
  const { privateJwk, publicJwks } = await newSigningKey('http-graph-1');
  // The supergraph joins every provider subgraph; they all serve the one contract, so the Cliniq
  // subgraph answers for each (the gateway only asks them `{ __typename }`, when probed for readiness).
  const subgraphUrls = providers
    .map(({ subgraph }) => `${subgraph.name}=${providerUrl}/graphql`)
    .concat(`scheduling=${schedulingUrl}/graphql`)
    .join(',');

  async function gateway(extra: Record<string, string>) {
    const logs: LogLine[] = [];
    const logger = createLogger({
      service: 'gateway',
      level: 'info',
      destination: { write: (line: string) => logs.push(JSON.parse(line) as LogLine) },
    });
    const service: HttpService = createGatewayService({
      config: readGatewayEnvironment({
        SUBGRAPH_URLS: subgraphUrls,
        INTERNAL_SECRET: secret,
        AUTH_JWT_PUBLIC_KEYS: JSON.stringify(publicJwks),
        AUTH_ISSUER: issuer,
        ...env,
        ...extra,
      }),
      logger,
    });
    const url = await service.listen(0);
    stops.unshift(() => service.close());
    return { url, logs };
  }

  const first = await gateway({});
  return {
    url: first.url,
    schedulingUrl,
    logs: first.logs,
    token: (scopes, options = {}) => signToken({ scopes, privateJwk, issuer, ...options }),
    gateway,
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
