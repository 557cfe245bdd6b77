import { ProviderError, type RequestBudget } from '@booking/provider-kit';
import { MockAgent } from 'undici';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFhirClient } from '../src/client/createFhirClient.js';

const origin = 'http://fhir.test';
const base = '/fhir/R4';
let agent: MockAgent;

function budget(ms = 5_000): RequestBudget {
  return { signal: AbortSignal.timeout(ms), deadlineAt: Date.now() + ms };
}

function client(accessToken?: string) {
  return createFhirClient({
    baseUrl: `${origin}${base}`,
    accessToken,
    dispatcher: agent,
    pageSize: 2,
  });
}

const fhirJson = { headers: { 'content-type': 'application/fhir+json' } };

function slot(n: number) {
  return {
    resourceType: 'Slot',
    id: `slot-${n}`,
    meta: { versionId: `v${n}` },
    schedule: { reference: 'Schedule/s1' },
    status: 'free',
    start: `2026-10-20T0${n}:00:00+02:00`,
    end: `2026-10-20T0${n}:20:00+02:00`,
  };
}

function page(entries: unknown[], next?: string) {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: 5,
    link: [
      { relation: 'self', url: 'ignored' },
      ...(next ? [{ relation: 'next', url: next }] : []),
    ],
    entry: entries,
  };
}

const match = (resource: unknown) => ({ resource, search: { mode: 'match' } });

async function failure(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ProviderError);
  return error as ProviderError;
}

beforeEach(() => {
  agent = new MockAgent();
  agent.disableNetConnect();
});
afterEach(async () => {
  await agent.close();
});

describe('createFhirClient.search', () => {
  it('follows next links to the last page, skipping include and outcome entries, sending the token', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({
        path: (path) => path.startsWith(`${base}/Slot?`) && !path.includes('_offset'),
        method: 'GET',
        headers: { authorization: 'Bearer secret', accept: 'application/fhir+json' },
      })
      .reply(
        200,
        page(
          [
            match(slot(1)),
            { resource: { resourceType: 'Schedule', id: 's1' }, search: { mode: 'include' } },
            match(slot(2)),
          ],
          // Behind a proxy: the server names its internal host; only the path is followed.
          `http://internal-host:8080${base}/Slot?status=free&_count=2&_offset=2`,
        ),
        fhirJson,
      );
    pool.intercept({ path: `${base}/Slot?status=free&_count=2&_offset=2`, method: 'GET' }).reply(
      200,
      page(
        [
          match(slot(3)),
          {
            resource: { resourceType: 'OperationOutcome', issue: [] },
            search: { mode: 'outcome' },
          },
          // No search.mode: a match by its type.
          { resource: slot(4) },
        ],
        `${base}/Slot?status=free&_count=2&_offset=4`,
      ),
      fhirJson,
    );
    pool
      .intercept({ path: `${base}/Slot?status=free&_count=2&_offset=4`, method: 'GET' })
      .reply(200, page([match(slot(5))]), fhirJson);
    const slots = await client('secret').search(
      'Slot',
      [
        ['status', 'free'],
        ['start', 'ge2026-10-20T00:00:00.000Z'],
      ],
      budget(),
    );
    expect(slots.map((s) => s.id)).toEqual(['slot-1', 'slot-2', 'slot-3', 'slot-4', 'slot-5']);
  });

  it('refuses a next link outside the FHIR base, a looping one, and an invalid match', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({ path: (p) => p.startsWith(`${base}/Slot?`), method: 'GET' })
      .reply(200, page([match(slot(1))], 'http://elsewhere.test/other/Slot?x=1'), fhirJson);
    expect((await failure(client().search('Slot', {}, budget()))).code).toBe(
      'PROVIDER_BAD_RESPONSE',
    );

    pool
      .intercept({ path: (p) => p.startsWith(`${base}/Slot?`), method: 'GET' })
      .reply(200, page([match(slot(1))], `${base}/Slot?_count=2`), fhirJson);
    expect((await failure(client().search('Slot', {}, budget()))).message).toContain('loops');

    pool
      .intercept({ path: (p) => p.startsWith(`${base}/Slot?`), method: 'GET' })
      .reply(200, page([match({ ...slot(1), start: '2026-10-20T08:00:00' })]), fhirJson);
    const invalid = await failure(client().search('Slot', {}, budget()));
    expect(invalid.code).toBe('PROVIDER_BAD_RESPONSE');
    expect(invalid.message).toContain('start');
  });
});

describe('FHIR answers', () => {
  it('reads a missing resource (404, 410) or an id that cannot be one as null, and answers a 412 as an outcome with its OperationOutcome', async () => {
    const pool = agent.get(origin);
    const outcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'not-found' }],
    };
    pool.intercept({ path: `${base}/Slot/nope`, method: 'GET' }).reply(404, outcome, fhirJson);
    pool.intercept({ path: `${base}/Slot/gone`, method: 'GET' }).reply(410, outcome, fhirJson);
    expect(await client().read('Slot', 'nope', budget())).toBeNull();
    expect(await client().read('Slot', 'gone', budget())).toBeNull();
    // Never asked: the net connect is disabled, so a request would fail the read.
    expect(await client().read('Slot', 'a/b', budget())).toBeNull();
    pool
      .intercept({ path: `${base}/Slot/bad`, method: 'GET' })
      .reply(422, { resourceType: 'OperationOutcome', issue: [{ code: 'invalid' }] }, fhirJson);
    const refused = await failure(client().read('Slot', 'bad', budget()));
    expect(refused.message).toContain('unexpected 422 (invalid)');

    pool.intercept({ path: base, method: 'POST' }).reply(412, outcome, fhirJson);
    const written = await client().transaction(
      [
        {
          resource: { resourceType: 'Slot' },
          request: { method: 'PUT', url: 'Slot/1', ifMatch: 'W/"1"' },
        },
      ],
      budget(),
    );
    expect(written).toMatchObject({ ok: false, status: 412 });
  });

  it('makes 5xx, 429 and 401 PROVIDER_UNAVAILABLE, and a 404 that is not FHIR PROVIDER_BAD_RESPONSE', async () => {
    const pool = agent.get(origin);
    pool.intercept({ path: `${base}/Slot/a`, method: 'GET' }).reply(503, 'down');
    expect((await failure(client().read('Slot', 'a', budget()))).code).toBe('PROVIDER_UNAVAILABLE');
    pool
      .intercept({ path: `${base}/Slot/a`, method: 'GET' })
      .reply(429, 'slow down', { headers: { 'retry-after': '3' } });
    // A wait that does not fit in the deadline: the read is not retried.
    const limited = await failure(client().read('Slot', 'a', budget(2_000)));
    expect(limited.details.retryAfterSeconds).toBe(3);
    pool.intercept({ path: `${base}/Slot/a`, method: 'GET' }).reply(401, {});
    expect((await failure(client().read('Slot', 'a', budget()))).code).toBe('PROVIDER_UNAVAILABLE');
    pool.intercept({ path: `${base}/Slot/a`, method: 'GET' }).reply(404, '<html>proxy</html>');
    expect((await failure(client().read('Slot', 'a', budget()))).code).toBe(
      'PROVIDER_BAD_RESPONSE',
    );
  });

  it('reports a transaction whose connection broke after sending as PROVIDER_TIMEOUT (outcome unknown)', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({ path: base, method: 'POST' })
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'UND_ERR_SOCKET' }));
    const lost = await failure(
      client().transaction(
        [{ resource: { resourceType: 'Slot' }, request: { method: 'PUT', url: 'Slot/1' } }],
        budget(),
      ),
    );
    expect(lost.code).toBe('PROVIDER_TIMEOUT');
    pool
      .intercept({ path: `${base}/Slot/a`, method: 'GET' })
      .replyWithError(Object.assign(new Error('reset'), { code: 'UND_ERR_SOCKET' }));
    expect((await failure(client().read('Slot', 'a', budget()))).code).toBe('PROVIDER_UNAVAILABLE');
  });

  it('refuses a transaction response that does not answer every entry', async () => {
    const pool = agent.get(origin);
    pool
      .intercept({
        path: base,
        method: 'POST',
        headers: { 'content-type': 'application/fhir+json' },
      })
      .reply(200, { resourceType: 'Bundle', type: 'transaction-response', entry: [] }, fhirJson);
    const error = await failure(
      client().transaction(
        [{ resource: { resourceType: 'Slot' }, request: { method: 'PUT', url: 'Slot/1' } }],
        budget(),
      ),
    );
    expect(error.code).toBe('PROVIDER_BAD_RESPONSE');
  });
});
