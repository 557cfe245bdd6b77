import { setTimeout as sleep } from 'node:timers/promises';
import { createLogger } from '@booking/server-kit';
import { startTestTelemetry, type TestTelemetry } from '@booking/telemetry/testing';
import { SpanStatusCode } from '@opentelemetry/api';
import type { HistogramMetricData } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createProviderGuard,
  type ProviderGuardOptions,
} from '../src/access/providers/createProviderGuard.js';
import { ProviderCallError } from '../src/access/providers/createProviderSubgraphClient.js';
import { createSchedulingMetrics } from '../src/schedulingMetrics.js';

const logger = createLogger({ service: 'test', level: 'silent' });

function guard(options: Partial<ProviderGuardOptions> = {}) {
  const ended: string[] = [];
  const g = createProviderGuard({
    logger,
    deadlineMs: () => 500,
    backoffMs: 5,
    minAttemptMs: 20,
    random: () => 1,
    onCallEnded: (_, outcome) => ended.push(outcome),
    ...options,
  });
  return { g, ended };
}

const unavailable = (retryAfterSeconds?: number) =>
  new ProviderCallError('PROVIDER_UNAVAILABLE', 'down', { retryAfterSeconds });

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'OK';
  } catch (error) {
    expect(error).toBeInstanceOf(ProviderCallError);
    return (error as ProviderCallError).code;
  }
}

describe('createProviderGuard', () => {
  it('repeats a read that the provider refused, and answers with the repeat', async () => {
    const { g } = guard();
    let calls = 0;
    const result = await g.call('c', 'read', async () => {
      calls += 1;
      if (calls < 3) throw unavailable();
      return 'slots';
    });
    expect(result).toBe('slots');
    expect(calls).toBe(3);
  });

  it('never repeats a call marked once, nor a timeout (its deadline is used up)', async () => {
    const { g } = guard();
    let calls = 0;
    expect(
      await codeOf(
        g.call('c', 'once', async () => {
          calls += 1;
          throw unavailable();
        }),
      ),
    ).toBe('PROVIDER_UNAVAILABLE');
    expect(calls).toBe(1);
    calls = 0;
    expect(
      await codeOf(
        g.call('c', 'read', async () => {
          calls += 1;
          throw new ProviderCallError('PROVIDER_TIMEOUT', 'slow');
        }),
      ),
    ).toBe('PROVIDER_TIMEOUT');
    expect(calls).toBe(1);
  });

  it('does not start a repeat that could not finish before the deadline', async () => {
    const { g } = guard({ deadlineMs: () => 100, minAttemptMs: 80 });
    let calls = 0;
    const code = await codeOf(
      g.call('c', 'idempotentWrite', async () => {
        calls += 1;
        await sleep(40);
        throw unavailable();
      }),
    );
    expect(code).toBe('PROVIDER_UNAVAILABLE');
    expect(calls).toBe(1);
  });

  it('gives up at the deadline when the provider hangs, whatever the attempt does', async () => {
    const { g, ended } = guard({ deadlineMs: () => 150 });
    const started = Date.now();
    const code = await codeOf(g.call('c', 'read', () => new Promise(() => {})));
    expect(code).toBe('TIMEOUT');
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(400);
    expect(ended).toEqual(['TIMEOUT']);
  });

  it('opens the circuit after repeated failures, skips the provider, then closes after a good probe', async () => {
    const { g } = guard({ failuresToOpen: 3, halfOpenAfterMs: 200, maxAttempts: 1 });
    let calls = 0;
    let healthy = false;
    const attempt = async () => {
      calls += 1;
      if (!healthy) throw unavailable();
      return 'ok';
    };
    for (let i = 0; i < 3; i++)
      expect(await codeOf(g.call('c', 'read', attempt))).toBe('PROVIDER_UNAVAILABLE');
    expect(g.circuitStatus('c')).toBe('OPEN');
    expect(await codeOf(g.call('c', 'read', attempt))).toBe('CIRCUIT_OPEN');
    expect(calls).toBe(3);
    // Another connection is not affected.
    expect(await codeOf(g.call('other', 'read', async () => 'fine'))).toBe('OK');

    await sleep(250);
    expect(g.circuitStatus('c')).toBe('OPEN'); // half-open only when the next call arrives
    healthy = true;
    expect(await g.call('c', 'read', attempt)).toBe('ok');
    expect(g.circuitStatus('c')).toBe('CLOSED');
    expect(calls).toBe(4);
  });

  it('re-opens the circuit when the probe fails', async () => {
    const { g } = guard({ failuresToOpen: 2, halfOpenAfterMs: 100, maxAttempts: 1 });
    const failing = async () => {
      throw unavailable();
    };
    await codeOf(g.call('c', 'read', failing));
    await codeOf(g.call('c', 'read', failing));
    await sleep(130);
    expect(await codeOf(g.call('c', 'read', failing))).toBe('PROVIDER_UNAVAILABLE');
    expect(g.circuitStatus('c')).toBe('OPEN');
    expect(await codeOf(g.call('c', 'read', failing))).toBe('CIRCUIT_OPEN');
  });

  it('does not count a typed refusal (bad input) against the provider', async () => {
    const { g } = guard({ failuresToOpen: 2, maxAttempts: 1 });
    const refusing = async () => {
      throw new ProviderCallError('BAD_USER_INPUT', 'no such clinic');
    };
    for (let i = 0; i < 5; i++) await codeOf(g.call('c', 'read', refusing));
    expect(g.circuitStatus('c')).toBe('CLOSED');
  });

  it('honours Retry-After: no call reaches the provider until it has passed', async () => {
    const { g } = guard();
    let calls = 0;
    const attempt = async () => {
      calls += 1;
      if (calls === 1) throw unavailable(1);
      return 'ok';
    };
    expect(await codeOf(g.call('c', 'read', attempt))).toBe('PROVIDER_UNAVAILABLE');
    expect(g.circuitStatus('c')).toBe('COOLING_DOWN');
    const skipped = g.call('c', 'read', attempt).catch((error: ProviderCallError) => error);
    const error = (await skipped) as ProviderCallError;
    expect(error.code).toBe('CIRCUIT_OPEN');
    expect(error.retryAfterSeconds).toBe(1);
    expect(calls).toBe(1);
    await sleep(1050);
    expect(g.circuitStatus('c')).toBe('CLOSED');
    expect(await g.call('c', 'read', attempt)).toBe('ok');
    g.dispose();
  });

  it('bounds the calls in flight per connection and refuses beyond its queue', async () => {
    const { g } = guard({ maxConcurrent: 2, maxQueued: 1, deadlineMs: () => 2000 });
    let inFlight = 0;
    let most = 0;
    const attempt = async () => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await sleep(50);
      inFlight -= 1;
      return 'ok';
    };
    const codes = await Promise.all(
      Array.from({ length: 4 }, () => codeOf(g.call('c', 'read', attempt))),
    );
    expect(codes.sort()).toEqual(['BUSY', 'OK', 'OK', 'OK']);
    expect(most).toBe(2);
  });
});

describe('createProviderGuard with telemetry running', () => {
  let telemetry: TestTelemetry;
  beforeAll(async () => {
    telemetry = await startTestTelemetry({ graphql: false });
  });
  afterAll(() => telemetry?.shutdown());

  it('traces each call as a provider.call span with its connection, operation, attempts and outcome, and measures it', async () => {
    const { g } = guard({ metrics: createSchedulingMetrics() });
    let calls = 0;
    await g.call(
      'cliniq-nordklinik',
      'read',
      async () => {
        calls += 1;
        if (calls < 2) throw unavailable();
        return 'slots';
      },
      'ContractSlots',
    );
    await codeOf(g.call('cliniq-vastkusten', 'once', () => Promise.reject(unavailable())));

    const [ok, failed] = telemetry.spans().filter((span) => span.name === 'provider.call');
    expect(ok?.attributes).toEqual({
      'booking.connection': 'cliniq-nordklinik',
      'booking.call.kind': 'read',
      'booking.provider.operation': 'ContractSlots',
      'booking.call.attempts': 2,
      'booking.outcome': 'OK',
    });
    expect(failed?.attributes).toMatchObject({
      'booking.connection': 'cliniq-vastkusten',
      'booking.outcome': 'ERROR',
      'error.type': 'PROVIDER_UNAVAILABLE',
    });
    expect(failed?.status.code).toBe(SpanStatusCode.ERROR);

    const duration = (await telemetry.metrics()).get(
      'booking.provider.call.duration',
    ) as HistogramMetricData;
    expect(duration.dataPoints.map((point) => point.attributes)).toEqual(
      expect.arrayContaining([
        {
          'booking.connection': 'cliniq-nordklinik',
          'booking.call.kind': 'read',
          'booking.outcome': 'OK',
        },
        {
          'booking.connection': 'cliniq-vastkusten',
          'booking.call.kind': 'once',
          'booking.outcome': 'ERROR',
        },
      ]),
    );
  });
});
