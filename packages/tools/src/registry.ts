import { simulatorConnections as cliniq } from '@booking/provider-cliniq';
import { simulatorConnections as fhir } from '@booking/provider-fhir';
import { simulatorConnections as rivta } from '@booking/provider-rivta';
import { simulatorConnections as smart } from '@booking/provider-smart';
import { simulatorConnections as square } from '@booking/provider-square';
// new-provider: imports are added above this line.

/** Where a service lives and how it is started, as the launcher and composition see it. */
export interface ServiceDefinition {
  /** One name everywhere: folder, package suffix, supergraph subgraph, compose service. */
  readonly name: string;
  /** Folder relative to the repository root. */
  readonly dir: string;
  /** Default port (`npm start`). */
  readonly port: number;
}

/** A provider system: its subgraph, the simulator standing in for it, and how the two are wired. */
export interface ProviderDefinition {
  readonly subgraph: ServiceDefinition;
  readonly simulator: ServiceDefinition;
  /**
   * Environment of the subgraph that points it at the simulator's base URL, and tells it its own
   * (where the simulator pushes changes at the clinic, for systems that push).
   */
  readonly subgraphEnv: (simulatorUrl: string, subgraphUrl: string) => Record<string, string>;
}

export const gateway: ServiceDefinition = { name: 'gateway', dir: 'gateway', port: 4000 };
export const scheduling: ServiceDefinition = {
  name: 'scheduling',
  dir: 'subgraphs/scheduling',
  port: 4001,
};

/**
 * The provider registry: adding a provider system is one entry here (`npm run new-provider`
 * writes it). Nothing in scheduling or the gateway changes. Each subgraph is pointed at its
 * simulator with its own `simulatorConnections`, as its development default is.
 */
export const providers: readonly ProviderDefinition[] = [
  {
    subgraph: { name: 'provider-cliniq', dir: 'subgraphs/provider-cliniq', port: 4010 },
    simulator: { name: 'simulator-cliniq', dir: 'simulators/cliniq', port: 4101 },
    subgraphEnv: (url) => ({ CLINIQ_CONNECTIONS: JSON.stringify(cliniq(url)) }),
  },
  {
    subgraph: { name: 'provider-fhir', dir: 'subgraphs/provider-fhir', port: 4011 },
    simulator: { name: 'simulator-fhir', dir: 'simulators/fhir', port: 4102 },
    subgraphEnv: (url, own) => ({
      FHIR_CONNECTIONS: JSON.stringify(fhir(url)),
      FHIR_PUSH_BASE_URL: own,
    }),
  },
  {
    subgraph: { name: 'provider-smart', dir: 'subgraphs/provider-smart', port: 4013 },
    simulator: { name: 'simulator-smart', dir: 'simulators/smart', port: 4104 },
    subgraphEnv: (url) => ({ SMART_CONNECTIONS: JSON.stringify(smart(url)) }),
  },
  {
    subgraph: { name: 'provider-rivta', dir: 'subgraphs/provider-rivta', port: 4012 },
    simulator: { name: 'simulator-rivta', dir: 'simulators/rivta', port: 4103 },
    subgraphEnv: (url) => ({ RIVTA_CONNECTIONS: JSON.stringify(rivta(url)) }),
  },
  {
    subgraph: { name: 'provider-square', dir: 'subgraphs/provider-square', port: 4014 },
    simulator: { name: 'simulator-square', dir: 'simulators/square', port: 4105 },
    subgraphEnv: (url, own) => ({
      SQUARE_CONNECTIONS: JSON.stringify(square(url)),
      SQUARE_PUSH_BASE_URL: own,
    }),
  },
  // new-provider: entries are added above this line.
];

/** Every service in start order: simulators, provider subgraphs, scheduling, gateway. */
export const allServices: readonly ServiceDefinition[] = [
  ...providers.map((p) => p.simulator),
  ...providers.map((p) => p.subgraph),
  scheduling,
  gateway,
];

/**
 * Development stand-ins beside the platform in `npm start` (never deployed): an OpenID Connect
 * provider in the place of Vården's identity provider, and the demo booking page, the SDK's
 * living example, served on an origin of its own as Vården's pages will be.
 */
export const identity: ServiceDefinition = {
  name: 'simulator-identity',
  dir: 'simulators/identity',
  port: 4106,
};
export const webPage: ServiceDefinition = {
  name: 'example-web',
  dir: 'examples/web',
  port: 5173,
};
export const demoServices: readonly ServiceDefinition[] = [identity, webPage];

/**
 * How the demo page, the identity provider and the gateway find each other, beyond
 * `serviceWiring`. The page may be opened as `localhost` or `127.0.0.1`: two origins, both let in.
 */
export function demoWiring(
  urlOf: (service: ServiceDefinition) => string,
): Record<string, Record<string, string>> {
  const page = new URL(urlOf(webPage));
  const pageOrigins = [page.origin, `${page.protocol}//localhost:${page.port}`];
  return {
    [identity.name]: { IDENTITY_WEB_REDIRECT_URIS: pageOrigins.map((o) => `${o}/`).join(',') },
    [gateway.name]: {
      // The gateway checks the provider's tokens by its published keys, as it will Vården's.
      AUTH_TRUSTED_ISSUERS: JSON.stringify([
        { issuer: urlOf(identity), jwksUrl: `${urlOf(identity)}/jwks` },
      ]),
      CORS_ORIGINS: pageOrigins.join(','),
    },
    [webPage.name]: {
      BOOKING_API_URL: `${urlOf(gateway)}/graphql`,
      IDENTITY_ISSUER: urlOf(identity),
      IDENTITY_CLIENT_ID: 'booking-web',
    },
  };
}

/**
 * How the services find each other: the environment each one needs beyond `PORT` and `HOST`,
 * given every service's base URL (`npm start`: `http://127.0.0.1:<port>`; docker-compose.yml:
 * `http://<name>:<port>`).
 */
export function serviceWiring(
  urlOf: (service: ServiceDefinition) => string,
): Record<string, Record<string, string>> {
  return {
    [scheduling.name]: {
      PROVIDER_SUBGRAPHS: providers
        .map((p) => `${p.subgraph.name}=${urlOf(p.subgraph)}/graphql`)
        .join(','),
    },
    [gateway.name]: {
      SUBGRAPH_URLS: [scheduling, ...providers.map((p) => p.subgraph)]
        .map((s) => `${s.name}=${urlOf(s)}/graphql`)
        .join(','),
    },
    ...Object.fromEntries(
      providers.map((p) => [p.subgraph.name, p.subgraphEnv(urlOf(p.simulator), urlOf(p.subgraph))]),
    ),
  };
}
