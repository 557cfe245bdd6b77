import { runProviderContractSuite } from '@booking/provider-contract-tests';
import { createProviderService, loadProviderEnvironment } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { inject } from 'vitest';
import { loadProviderDefinition } from './loadProviderDefinition.js';

// Run by `certifyProvider` through Vitest's API, never by `npm test` (no `.test.ts` suffix): the
// contract kit against a live system, through the provider's own subgraph built from one
// `<SYSTEM>_CONNECTIONS` entry.

declare module 'vitest' {
  export interface ProvidedContext {
    certification: {
      system: string;
      /** `<SYSTEM>_CONNECTIONS` and the provider's own settings variables, as the service reads them. */
      environment: Record<string, string>;
      sandbox: boolean;
      deadlineMs: number;
    };
  }
}

const { system, environment, sandbox, deadlineMs } = inject('certification');
const definition = await loadProviderDefinition(system);
const loaded = loadProviderEnvironment(definition, environment);

runProviderContractSuite(
  {
    system,
    async start() {
      const service = createProviderService(
        definition,
        {
          connections: loaded.connections,
          providerDeadlineMs: deadlineMs,
          settings: loaded.settings,
        },
        createLogger({ service: `provider-${system}`, level: 'silent' }),
      );
      const url = await service.listen(0);
      // A provider that ingests first (SMART) is ready once it has; bounded, then the checks say why.
      const readyBy = Date.now() + 30_000;
      while (Date.now() < readyBy && !(await fetch(`${url}/health/ready`)).ok) {
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      return {
        graphqlUrl: `${url}/graphql`,
        connectionIds: service.connections.map((c) => c.id),
        stop: () => service.close(),
      };
    },
  },
  {
    now: new Date(),
    ...(!sandbox && {
      skipWrites: 'read-only certification; the booking checks run with --sandbox only',
    }),
  },
);
