/**
 * A second scheduling whose slot cache never serves an answer (it still does when a provider
 * fails, as in production) and a gateway in front of it: for the phases about the providers' own
 * latency, which a cached answer would hide.
 */
import { providers, type RunningSystem, type ServiceProcess } from '@booking/tools';

export interface UncachedPair {
  scheduling: ServiceProcess;
  /** The pair's gateway GraphQL endpoint. */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts the pair over `system`'s provider subgraphs, or over `subgraphs` (`name=url` entries
 * replacing the system's ones of the same name) when given. `label` names its processes.
 */
export async function startUncachedPair(
  system: RunningSystem,
  label: string,
  subgraphs: Record<string, string> = {},
): Promise<UncachedPair> {
  const providerUrls = providers.map(
    ({ subgraph: { name } }) => `${name}=${subgraphs[name] ?? `${system.urls[name]}/graphql`}`,
  );
  const scheduling = await system.startInstance('scheduling', {
    label: `scheduling-${label}`,
    env: { CACHE_FRESH_MS: '0', CACHE_STALE_MS: '0', PROVIDER_SUBGRAPHS: providerUrls.join(',') },
  });
  try {
    const gateway = await system.startInstance('gateway', {
      label: `gateway-${label}`,
      env: {
        SUBGRAPH_URLS: [`scheduling=${scheduling.url}/graphql`, ...providerUrls].join(','),
      },
    });
    return {
      scheduling,
      url: `${gateway.url}/graphql`,
      async stop() {
        await gateway.stop();
        await scheduling.stop();
      },
    };
  } catch (error) {
    await scheduling.stop();
    throw error;
  }
}
