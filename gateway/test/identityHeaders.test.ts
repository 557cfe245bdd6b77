import { readFileSync } from 'node:fs';
import type { Fetcher } from '@apollo/utils.fetcher';
import { createLogger, identityHeaders, internalSecretHeader, Scope } from '@booking/server-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/createAuthenticator.js';
import { createGateway } from '../src/createGateway.js';

const supergraphSdl = readFileSync(
  new URL('../../schema/supergraph.graphql', import.meta.url),
  'utf8',
);

describe('the identity headers the gateway sends to subgraphs', () => {
  const sent: Record<string, string | undefined>[] = [];
  // Scheduling's side, answered without it: only what the gateway sent is looked at.
  const fetcher: Fetcher = async (_url, init) => {
    const headers = init?.headers as Record<string, string>;
    sent.push({ ...headers });
    return new Response(JSON.stringify({ data: { treatments: [] } }), {
      headers: { 'content-type': 'application/json' },
    }) as never;
  };
  const gateway = createGateway({
    supergraphSdl,
    subgraphUrls: { scheduling: 'http://scheduling.invalid/graphql' },
    fetcher,
    logger: createLogger({ service: 'gateway-test', level: 'silent' }),
    config: {
      nodeEnv: 'test',
      internalSecret: 'test-internal-secret',
      graphql: { introspection: false },
      trustedDocuments: { mode: 'allow-listed-or-hash' },
    },
  });
  beforeAll(() => gateway.start());
  afterAll(() => gateway.stop());

  async function headersFor(principal: Principal) {
    sent.length = 0;
    const response = await gateway.executeOperation(
      { query: '{ treatments { id } }' },
      { contextValue: { principal } },
    );
    expect(response.body.kind === 'single' && response.body.singleResult.errors).toBeFalsy();
    expect(sent).toHaveLength(1);
    return sent[0]!;
  }

  it('sends a patient’s subject beside the client id, with the internal secret', async () => {
    const headers = await headersFor({
      clientId: 'vården-web',
      subject: 'patient-astrid',
      scopes: new Set([Scope.AvailabilityRead]),
      method: 'jwt',
    });
    expect(headers[internalSecretHeader]).toBe('test-internal-secret');
    expect(headers[identityHeaders.clientId]).toBe('vården-web');
    expect(headers[identityHeaders.subject]).toBe('patient-astrid');
    expect(headers[identityHeaders.scopes]).toBe(Scope.AvailabilityRead);
  });

  it('sends no subject for a backend client, which acts for its whole application', async () => {
    const headers = await headersFor({
      clientId: 'vården-backend',
      subject: null,
      scopes: new Set([Scope.AvailabilityRead]),
      method: 'api-key',
    });
    expect(headers[identityHeaders.clientId]).toBe('vården-backend');
    expect(headers[identityHeaders.subject]).toBeUndefined();
  });
});
