import { Writable } from 'node:stream';
import { createLogger } from '@booking/server-kit';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ProviderCallError,
  type ProviderSubgraphClient,
} from '../src/access/providers/createProviderSubgraphClient.js';
import { readEnvironment } from '../src/environment.js';
import { createSchedulingService, type SchedulingService } from '../src/server.js';

/** A provider subgraph that refuses every call as a subgraph with another secret does. */
const refusing = (name: string): ProviderSubgraphClient => ({
  name,
  execute: async () => {
    throw new ProviderCallError('UNAUTHENTICATED', '401: Unauthorized');
  },
  close: async () => {},
});

describe("scheduling's readiness", () => {
  let service: SchedulingService | undefined;
  afterEach(async () => {
    await service?.stop();
    service = undefined;
  });

  it('is not ready while no provider catalogue is loaded, and says loudly why', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'scheduling',
      level: 'info',
      destination: new Writable({
        write(chunk, _encoding, done) {
          lines.push(String(chunk));
          done();
        },
      }),
    });
    service = await createSchedulingService({
      config: readEnvironment({
        NODE_ENV: 'test',
        PROVIDER_SUBGRAPHS:
          'provider-a=http://in-process/graphql,provider-b=http://in-process/graphql',
        LEDGER_DATA_DIR: 'memory://',
      }),
      logger,
      clients: [refusing('provider-a'), refusing('provider-b')],
    });
    await service.start();
    const url = await service.http.listen(0, '127.0.0.1');
    const response = await fetch(`${url}/health/ready`);
    expect(response.status).toBe(503);
    const body = (await response.json()) as { checks: Record<string, unknown> };
    expect(body.checks.providerCatalogues).toEqual({ ok: false, connections: 0 });
    const refusals = lines
      .map((line) => JSON.parse(line) as { level: string; msg: string; subgraph?: string })
      .filter((line) => line.msg.includes('refused the internal secret'));
    expect(refusals.map((r) => [r.level, r.subgraph])).toEqual([
      ['error', 'provider-a'],
      ['error', 'provider-b'],
    ]);
  });
});
