import { setTimeout as sleep } from 'node:timers/promises';
import { abortable, type Logger } from '@booking/server-kit';
import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BrokenCircuitError,
  BulkheadPolicy,
  BulkheadRejectedError,
  type CircuitBreakerPolicy,
  CircuitState,
  ConsecutiveBreaker,
  circuitBreaker,
  handleWhen,
  IsolatedCircuitError,
} from 'cockatiel';
import type { CircuitStatus } from '../../engines/providerHealth.js';
import type { ProviderCallOutcome, SchedulingMetrics } from '../../schedulingMetrics.js';
import { ProviderCallError } from './createProviderSubgraphClient.js';
import { CallErrorCode, isProviderFailure, isRepeatable } from './providerErrors.js';

/**
 * How a call may be repeated: `read`s always, `idempotentWrite`s because the provider recognises
 * the repeat by the reservation id it carries, `once` never.
 */
export type CallKind = 'read' | 'idempotentWrite' | 'once';

export interface ProviderGuardOptions {
  logger: Logger;
  /** Deadline of one provider connection's answer, retries included. */
  deadlineMs: (connectionId: string) => number;
  /** Failures in a row that open a connection's circuit. Default: 5. */
  failuresToOpen?: number;
  /** How long an open circuit stays open before one probe call is let through. Default: 10 s. */
  halfOpenAfterMs?: number;
  /** Calls in flight per connection. Default: 16. */
  maxConcurrent?: number;
  /** Calls waiting for one of those per connection; more are refused at once. Default: 64. */
  maxQueued?: number;
  /** Most attempts of a call that may be repeated. Default: 3. */
  maxAttempts?: number;
  /** First backoff before a repeat; doubles each time, with full jitter. Default: 50 ms. */
  backoffMs?: number;
  /** A repeat is only started when at least this much of the deadline is left. Default: 100 ms. */
  minAttemptMs?: number;
  /** Longest `Retry-After` honoured by cooling a connection down. Default: 300 s. */
  maxCoolDownMs?: number;
  /** Source of jitter. Default: `Math.random`. */
  random?: () => number;
  /** Told of every call's end (for health and metrics). */
  onCallEnded?: (connectionId: string, outcome: 'OK' | 'TIMEOUT' | 'ERROR') => void;
  /** Told when a connection's circuit changes. */
  onCircuitChange?: (connectionId: string, status: CircuitStatus) => void;
  /** Records every call's latency and outcome. Default: none. */
  metrics?: Pick<SchedulingMetrics, 'providerCall'>;
}

const tracer = trace.getTracer('booking.scheduling');

function outcomeOf(error: ProviderCallError | null): ProviderCallOutcome {
  if (!error) return 'OK';
  if (error.code === 'CIRCUIT_OPEN' || error.code === 'BUSY') return error.code;
  return error.isTimeout ? 'TIMEOUT' : 'ERROR';
}

/** A failure that says the provider is unwell counts against its circuit. */
const countsAgainstCircuit = (error: Error) =>
  error instanceof ProviderCallError && isProviderFailure(error.code);

interface ConnectionPolicies {
  breaker: CircuitBreakerPolicy;
  bulkhead: BulkheadPolicy;
  coolDown: { until: number; release: () => void } | null;
}

/**
 * The platform's manners towards each provider connection: every call runs under the connection's
 * deadline (retries included), through a circuit breaker (repeated failures skip the provider until a
 * probe succeeds), a bulkhead (bounded calls in flight, a bounded queue), retries with jittered
 * exponential backoff where safe, and `Retry-After` honoured by not calling the connection again
 * before then.
 */
export function createProviderGuard(options: ProviderGuardOptions) {
  const failuresToOpen = options.failuresToOpen ?? 5;
  const halfOpenAfterMs = options.halfOpenAfterMs ?? 10_000;
  const maxConcurrent = options.maxConcurrent ?? 16;
  const maxQueued = options.maxQueued ?? 64;
  const maxAttempts = options.maxAttempts ?? 3;
  const backoffMs = options.backoffMs ?? 50;
  const minAttemptMs = options.minAttemptMs ?? 100;
  const maxCoolDownMs = options.maxCoolDownMs ?? 300_000;
  const random = options.random ?? Math.random;
  const { logger } = options;
  const connections = new Map<string, ConnectionPolicies>();

  function policies(connectionId: string): ConnectionPolicies {
    let found = connections.get(connectionId);
    if (found) return found;
    const breaker = circuitBreaker(handleWhen(countsAgainstCircuit), {
      halfOpenAfter: halfOpenAfterMs,
      breaker: new ConsecutiveBreaker(failuresToOpen),
    });
    found = { breaker, bulkhead: new BulkheadPolicy(maxConcurrent, maxQueued), coolDown: null };
    connections.set(connectionId, found);
    breaker.onStateChange(() => {
      const status = circuitStatus(connectionId);
      const level = status === 'CLOSED' ? 'info' : 'warn';
      logger[level]({ connection: connectionId, circuit: status }, 'provider circuit changed');
      options.onCircuitChange?.(connectionId, status);
    });
    return found;
  }

  function circuitStatus(connectionId: string): CircuitStatus {
    const found = connections.get(connectionId);
    if (!found) return 'CLOSED';
    switch (found.breaker.state) {
      case CircuitState.Open:
        return 'OPEN';
      case CircuitState.HalfOpen:
        return 'HALF_OPEN';
      case CircuitState.Isolated:
        return 'COOLING_DOWN';
      default:
        return 'CLOSED';
    }
  }

  /** Stops calling a connection until its `Retry-After` has passed. */
  function coolDown(connectionId: string, seconds: number) {
    const found = policies(connectionId);
    const until = Date.now() + Math.min(seconds * 1000, maxCoolDownMs);
    if (found.coolDown && found.coolDown.until >= until) return;
    found.coolDown?.release();
    const handle = found.breaker.isolate();
    const timer = setTimeout(() => release(), until - Date.now());
    timer.unref();
    const release = () => {
      clearTimeout(timer);
      handle.dispose();
      if (found.coolDown?.release === release) found.coolDown = null;
    };
    found.coolDown = { until, release };
  }

  /** Turns what a policy threw into the one error type callers handle. */
  function translate(error: unknown, connectionId: string, signal: AbortSignal): ProviderCallError {
    if (error instanceof ProviderCallError) return error;
    if (error instanceof IsolatedCircuitError) {
      const until = connections.get(connectionId)?.coolDown?.until;
      const seconds = until ? Math.max(1, Math.ceil((until - Date.now()) / 1000)) : undefined;
      return new ProviderCallError(
        CallErrorCode.CircuitOpen,
        `the provider asked the platform to wait (Retry-After)${seconds ? `; ${seconds} s left` : ''}`,
        { retryAfterSeconds: seconds },
      );
    }
    if (error instanceof BrokenCircuitError) {
      return new ProviderCallError(
        CallErrorCode.CircuitOpen,
        'skipped: the provider failed repeatedly and is being probed again later',
      );
    }
    if (error instanceof BulkheadRejectedError) {
      return new ProviderCallError(
        CallErrorCode.Busy,
        `skipped: ${maxConcurrent} calls to this provider are in flight and ${maxQueued} waiting`,
      );
    }
    if (signal.aborted) {
      return new ProviderCallError(
        CallErrorCode.Timeout,
        'the provider did not answer within the deadline',
      );
    }
    return new ProviderCallError(CallErrorCode.Internal, (error as Error).message, {
      cause: error,
    });
  }

  function report(connectionId: string, error: ProviderCallError | null) {
    if (!error) return options.onCallEnded?.(connectionId, 'OK');
    if (!isProviderFailure(error.code)) return;
    options.onCallEnded?.(connectionId, error.isTimeout ? 'TIMEOUT' : 'ERROR');
  }

  return {
    /**
     * Runs `attempt` against a connection under its deadline and policies. `attempt` receives the
     * call's abort signal and the instant nobody waits after. Throws only `ProviderCallError`s.
     * Traced as a `provider.call` span (connection, kind, `operation`, attempts, outcome; never
     * what was sent) and measured as `booking.provider.call.duration`.
     */
    call<T>(
      connectionId: string,
      kind: CallKind,
      attempt: (signal: AbortSignal, deadlineAt: number) => Promise<T>,
      operation?: string,
    ): Promise<T> {
      const attributes = {
        'booking.connection': connectionId,
        'booking.call.kind': kind,
        ...(operation && { 'booking.provider.operation': operation }),
      };
      return tracer.startActiveSpan('provider.call', { attributes }, async (span) => {
        const started = performance.now();
        let attempts = 0;
        let failure: ProviderCallError | null = null;
        try {
          return await run(connectionId, kind, (signal, deadlineAt) => {
            attempts += 1;
            return attempt(signal, deadlineAt);
          });
        } catch (error) {
          failure = error as ProviderCallError;
          throw error;
        } finally {
          const outcome = outcomeOf(failure);
          span.setAttributes({ 'booking.call.attempts': attempts, 'booking.outcome': outcome });
          if (failure) {
            // The code only: a provider's message may quote what it was sent.
            span.setAttribute('error.type', failure.code);
            span.setStatus({ code: SpanStatusCode.ERROR, message: failure.code });
          }
          span.end();
          options.metrics?.providerCall(
            connectionId,
            kind,
            outcome,
            (performance.now() - started) / 1000,
          );
        }
      });
    },

    circuitStatus,

    /** Every connection called so far, with its circuit. */
    circuits(): [connectionId: string, status: CircuitStatus][] {
      return [...connections.keys()].map((connectionId) => [
        connectionId,
        circuitStatus(connectionId),
      ]);
    },

    /** Lets every cooled-down connection be called again (shutdown, tests). */
    dispose(): void {
      for (const found of connections.values()) found.coolDown?.release();
    },
  };

  /** The call itself: deadline, circuit breaker, bulkhead, repeats and `Retry-After`. */
  async function run<T>(
    connectionId: string,
    kind: CallKind,
    attempt: (signal: AbortSignal, deadlineAt: number) => Promise<T>,
  ): Promise<T> {
    const { breaker, bulkhead } = policies(connectionId);
    const deadlineMs = options.deadlineMs(connectionId);
    const deadlineAt = Date.now() + deadlineMs;
    const signal = AbortSignal.timeout(deadlineMs);
    for (let attemptNo = 1; ; attemptNo++) {
      try {
        // The breaker judges the attempt by the same error callers get (an abort is a timeout).
        const guarded = () =>
          attempt(signal, deadlineAt).catch((error: unknown) => {
            throw translate(error, connectionId, signal);
          });
        const result = await abortable(
          breaker.execute(() => bulkhead.execute(guarded, signal)),
          signal,
        );
        report(connectionId, null);
        return result;
      } catch (caught) {
        const error = translate(caught, connectionId, signal);
        report(connectionId, error);
        if (error.retryAfterSeconds !== undefined && error.code !== CallErrorCode.CircuitOpen) {
          coolDown(connectionId, error.retryAfterSeconds);
          throw error;
        }
        const delay = random() * backoffMs * 2 ** (attemptNo - 1);
        const repeat =
          kind !== 'once' &&
          attemptNo < maxAttempts &&
          isRepeatable(error.code) &&
          deadlineAt - Date.now() >= delay + minAttemptMs;
        if (!repeat) throw error;
        logger.debug(
          { connection: connectionId, attempt: attemptNo, code: error.code, delayMs: delay },
          'repeating provider call',
        );
        await sleep(delay);
      }
    }
  }
}

export type ProviderGuard = ReturnType<typeof createProviderGuard>;
