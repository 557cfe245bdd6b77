import { createLogger, runService } from '@booking/server-kit';
import type { z } from 'zod';
import type { ConnectionConfig } from '../createProviderSubgraph.js';
import { createProviderService } from './createProviderService.js';
import type { ProviderDefinition } from './defineProvider.js';
import { loadProviderEnvironment } from './loadProviderEnvironment.js';

/**
 * A provider package's whole entry point (`src/index.ts`): reads the configuration, starts the
 * service, and drains it on SIGTERM/SIGINT. A configuration problem stops the process with every
 * problem listed.
 */
export async function runProvider<
  TFields extends z.ZodRawShape,
  TSettings,
  TConnection extends ConnectionConfig,
  TScope,
>(definition: ProviderDefinition<TFields, TSettings, TConnection, TScope>): Promise<void> {
  const name = `provider-${definition.system}`;
  await runService(name, async () => {
    const environment = loadProviderEnvironment(definition);
    const logger = createLogger({ service: name, level: environment.logLevel });
    const service = createProviderService(definition, environment, logger);
    await service.listen(environment.port, environment.host);
    logger.info({ connections: service.connections.map((c) => c.id) }, `serving ${name}`);
    return { stop: () => service.close(), logger };
  });
}
