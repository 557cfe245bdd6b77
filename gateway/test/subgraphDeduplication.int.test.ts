import { readFileSync } from 'node:fs';
import type { Fetcher } from '@apollo/utils.fetcher';
import { createLogger, identityHeaders, Scope } from '@booking/server-kit';
import { afterEach, describe, expect, it } from 'vitest';
import type { Principal } from '../src/auth/createAuthenticator.js';
import { createGateway } from '../src/createGateway.js';
import { PlatformDataSource } from '../src/PlatformDataSource.js';

const supergraphSdl = readFileSync(
  new URL('../../schema/supergraph.graphql', import.meta.url),
  'utf8',
);

const patient = (subject: string, clientId = 'vården-web'): Principal => ({
  clientId,
  subject,
  scopes: new Set([Scope.AvailabilityRead, Scope.ReservationsWrite]),
  method: 'jwt',
});
const backend: Principal = {
  clientId: 'vården-web',
  subject: null,
  scopes: new Set([Scope.AvailabilityRead]),
  method: 'api-key',
};

const treatmentsQuery = '{ treatments { id name } }';
const availabilityQuery =
  'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 1) { totalCount } }';
const cancelMutation = `mutation { cancelReservation(input: { reservationId: "r-1", idempotencyKey: "k-1" }) {
  __typename
} }`;

/** One call the fake scheduling received: its headers and GraphQL body. */
interface Received {
  headers: Record<string, string>;
  query: string;
}

/** How the fake scheduling answers a call once released: by default, its caller's own data. */
type Answer = (call: Received) => Response | Promise<Response>;

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

/** Answers for the subject the call was made for, so a shared answer shows whose it was. */
const answerForCaller: Answer = (call) =>
  call.query.startsWith('mutation')
    ? json({ data: { cancelReservation: { __typename: 'ReservationResult' } } })
    : json({
        data: {
          treatments: [
            {
              id: `for-${call.headers[identityHeaders.subject] ?? 'backend'}`,
              name: 'Vaccination',
            },
          ],
        },
      });

async function until(condition: () => boolean, what: string) {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * The real gateway over a fake scheduling that holds every call until the test releases them,
 * so that the test decides which requests are in flight at the same moment.
 */
function startGateway(options: { deduplicate?: boolean; answer?: Answer } = {}) {
  const received: Received[] = [];
  const held: (() => void)[] = [];
  const fetcher: Fetcher = async (_url, init) => {
    const call = {
      headers: { ...(init?.headers as Record<string, string>) },
      query: JSON.parse(String(init?.body)).query as string,
    };
    received.push(call);
    await new Promise<void>((resolve) => held.push(resolve));
    return (await (options.answer ?? answerForCaller)(call)) as never;
  };
  const sources: PlatformDataSource[] = [];
  const logger = createLogger({ service: 'gateway-test', level: 'silent' });
  const gateway = createGateway({
    supergraphSdl,
    subgraphUrls: { scheduling: 'http://scheduling.invalid/graphql' },
    fetcher,
    logger,
    config: {
      nodeEnv: 'test',
      internalSecret: 'test-internal-secret',
      graphql: { introspection: false },
      trustedDocuments: { mode: 'allow-listed-or-hash' },
    },
    buildService: (name, url) => {
      const source = new PlatformDataSource({
        subgraph: name,
        url,
        fetcher,
        internalSecret: 'test-internal-secret',
        logger,
        ...(options.deduplicate !== undefined && { deduplicate: options.deduplicate }),
      });
      sources.push(source);
      return source;
    },
  });
  const waiting = () => sources.reduce((sum, source) => sum + source.inFlight.waiting, 0);
  return {
    received,
    waiting,
    start: () => gateway.start(),
    stop: () => gateway.stop(),
    /** Answers every call held so far. */
    release() {
      for (const resolve of held.splice(0)) resolve();
    },
    async execute(query: string, principal: Principal, variables?: Record<string, unknown>) {
      const response = await gateway.executeOperation(
        { query, ...(variables && { variables }) },
        { contextValue: { principal } },
      );
      if (response.body.kind !== 'single') throw new Error('expected a single result');
      // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
      return response.body.singleResult as { data?: any; errors?: any[] };
    },
  };
}

describe('identical subgraph queries in flight at once', () => {
  let gateway: ReturnType<typeof startGateway> | undefined;
  afterEach(async () => {
    gateway?.release();
    await gateway?.stop();
    gateway = undefined;
  });

  it('share one fetch when they act for the same subject', async () => {
    gateway = startGateway();
    await gateway.start();
    const first = gateway.execute(treatmentsQuery, patient('patient-astrid'));
    const second = gateway.execute(treatmentsQuery, patient('patient-astrid'));
    await until(() => gateway!.waiting() === 2, 'both callers to wait on the fetch');
    gateway.release();
    const answers = await Promise.all([first, second]);
    expect(gateway.received).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.errors).toBeUndefined();
      expect(answer.data.treatments).toEqual([{ id: 'for-patient-astrid', name: 'Vaccination' }]);
    }
    // Each caller parsed the answer itself: no object of one result is the other's.
    expect(answers[0]!.data.treatments).not.toBe(answers[1]!.data.treatments);
  });

  it('fetch once per subject when two patients ask the same at the same moment', async () => {
    gateway = startGateway();
    await gateway.start();
    const astrid = gateway.execute(treatmentsQuery, patient('patient-astrid'));
    const bertil = gateway.execute(treatmentsQuery, patient('patient-bertil'));
    await until(() => gateway!.received.length === 2, 'a fetch for each subject');
    gateway.release();
    const [forAstrid, forBertil] = await Promise.all([astrid, bertil]);
    expect(forAstrid.data.treatments[0].id).toBe('for-patient-astrid');
    expect(forBertil.data.treatments[0].id).toBe('for-patient-bertil');
    expect(gateway.received.map((call) => call.headers[identityHeaders.subject]).sort()).toEqual([
      'patient-astrid',
      'patient-bertil',
    ]);
  });

  it('fetch separately for another client, and for the backend client without a subject', async () => {
    gateway = startGateway();
    await gateway.start();
    const answers = Promise.all([
      gateway.execute(treatmentsQuery, patient('patient-astrid')),
      gateway.execute(treatmentsQuery, patient('patient-astrid', 'another-app')),
      gateway.execute(treatmentsQuery, backend),
    ]);
    await until(() => gateway!.received.length === 3, 'a fetch for each identity');
    gateway.release();
    const [web, other, server] = await answers;
    expect(web.data.treatments[0].id).toBe('for-patient-astrid');
    expect(other.data.treatments[0].id).toBe('for-patient-astrid');
    expect(server.data.treatments[0].id).toBe('for-backend');
    expect(gateway.received.map((call) => call.headers[identityHeaders.clientId]).sort()).toEqual([
      'another-app',
      'vården-web',
      'vården-web',
    ]);
  });

  it('never share a mutation', async () => {
    gateway = startGateway();
    await gateway.start();
    const first = gateway.execute(cancelMutation, patient('patient-astrid'));
    const second = gateway.execute(cancelMutation, patient('patient-astrid'));
    await until(() => gateway!.received.length === 2, 'a fetch for each mutation');
    expect(gateway.waiting()).toBe(0);
    gateway.release();
    for (const answer of await Promise.all([first, second])) {
      expect(answer.data.cancelReservation.__typename).toBe('ReservationResult');
    }
    expect(gateway.received.every((call) => call.query.startsWith('mutation'))).toBe(true);
  });

  it('each get the refusal of a shared fetch, read from its own copy of the answer', async () => {
    gateway = startGateway({
      answer: () =>
        json(
          {
            errors: [
              {
                message:
                  'Variable "$filter" got invalid value "soon" at "filter.from"; Expected type "DateTime".',
                extensions: { code: 'BAD_USER_INPUT' },
              },
            ],
          },
          400,
        ),
    });
    await gateway.start();
    const variables = { filter: { from: 'soon', to: '2026-12-08T00:00:00Z' } };
    const first = gateway.execute(availabilityQuery, patient('patient-astrid'), variables);
    const second = gateway.execute(availabilityQuery, patient('patient-astrid'), variables);
    await until(() => gateway!.waiting() === 2, 'both callers to wait on the fetch');
    gateway.release();
    const answers = await Promise.all([first, second]);
    expect(gateway.received).toHaveLength(1);
    for (const answer of answers) {
      expect(answer.errors?.[0]?.extensions).toMatchObject({
        code: 'BAD_USER_INPUT',
        field: '$filter.from',
      });
    }
  });

  it('each get a failed fetch as their own error, and the next request fetches again', async () => {
    let fail = true;
    gateway = startGateway({
      answer: (call) => {
        if (!fail) return answerForCaller(call);
        throw Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' });
      },
    });
    await gateway.start();
    const first = gateway.execute(treatmentsQuery, patient('patient-astrid'));
    const second = gateway.execute(treatmentsQuery, patient('patient-astrid'));
    await until(() => gateway!.waiting() === 2, 'both callers to wait on the fetch');
    gateway.release();
    for (const answer of await Promise.all([first, second])) {
      expect(answer.errors?.[0]?.extensions?.code).toBe('SERVICE_UNAVAILABLE');
    }
    expect(gateway.received).toHaveLength(1);

    fail = false;
    const retry = gateway.execute(treatmentsQuery, patient('patient-astrid'));
    await until(() => gateway!.received.length === 2, 'a fresh fetch');
    gateway.release();
    expect((await retry).data.treatments[0].id).toBe('for-patient-astrid');
  });

  it('fetch once each when deduplication is off', async () => {
    gateway = startGateway({ deduplicate: false });
    await gateway.start();
    const answers = Promise.all([
      gateway.execute(treatmentsQuery, patient('patient-astrid')),
      gateway.execute(treatmentsQuery, patient('patient-astrid')),
    ]);
    await until(() => gateway!.received.length === 2, 'a fetch for each request');
    gateway.release();
    for (const answer of await answers) {
      expect(answer.data.treatments[0].id).toBe('for-patient-astrid');
    }
  });
});
