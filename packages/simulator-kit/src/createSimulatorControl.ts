import type http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import { answerControlAdmin, type ControlAnswer } from './answerControlAdmin.js';
import { type CallSpan, createCallLog } from './callLog.js';
import { type ConnectionTraffic, trafficOf } from './connectionTraffic.js';
import {
  type ConnectionOverride,
  type ControlConfig,
  type ControlSettings,
  commonConnectionKnobs,
  commonGlobalKnobs,
  mergePatch,
  problemsOf,
} from './controlConfig.js';
import { createRandom, hashString } from './createRandom.js';
import { createRateLimiter } from './createRateLimiter.js';
import {
  type Access,
  allConnections,
  type FaultRule,
  faultRuleInput,
  ruleApplies,
  toFaultRule,
} from './faultRules.js';
import type { SimulatorLogger } from './runSimulator.js';

/** What the simulator does with a request after `admit`. */
export type Admission =
  | { kind: 'proceed' }
  /** Answer with this status in the vendor's dialect (and `Retry-After` when given). */
  | {
      kind: 'refuse';
      status: number;
      retryAfterSeconds?: number;
      reason: 'down' | 'fault' | 'rateLimited';
    }
  /** The kit held the request and dropped its connection: nothing more to do. */
  | { kind: 'dropped' };

export interface SimulatorControlOptions<V extends Record<string, unknown>> {
  /** The simulator's name for its connections in `/_admin/config` and `/_admin/traffic`: `tenants`. */
  connectionsKey: string;
  /** The connection ids it serves (tenants, logical addresses, publishers); others are refused. */
  connectionIds: () => Iterable<string>;
  /** Start-up values of the common knobs. Default: no latency, no faults, no rate limit. */
  defaults?: Partial<ControlSettings>;
  /** Start-up values of the simulator's own knobs (a hold's lifetime, a page size). Default: none. */
  vendorDefaults?: () => V;
  /** Patch schema of its own global knobs; `null` sets one back to `undefined`. Default: none. */
  vendorKnobs?: Record<string, z.ZodType>;
  /** Patch schema of its own per-connection knobs; `null` clears one. Default: none. */
  vendorConnectionKnobs?: Record<string, z.ZodType>;
  /** Seed of the fault streams (`faultRate`, rules with a `share`). Default: 1. */
  seed?: number;
  /** Receives a line per injected fault, configuration change and reset. Default: silent. */
  logger?: SimulatorLogger;
  /** The simulator's own reset (back to its seed data), run by `POST /_admin/reset`. Default: none. */
  onReset?: () => void | Promise<void>;
}

export interface SimulatorControl<V extends Record<string, unknown>> {
  /** The configuration in effect. */
  readonly config: ControlConfig<V>;
  /** A knob for one connection: its override, else the global value. */
  setting<K extends keyof ControlSettings>(connection: string, key: K): ControlSettings[K];
  /** Traffic since start or reset, per connection. */
  readonly traffic: ReadonlyMap<string, ConnectionTraffic>;
  /**
   * Each vendor request's start and end (the last 1000 per connection) since start, reset or
   * `DELETE /_admin/calls`: how many round trips a caller made one after another (`callDepth`).
   */
  readonly calls: ReadonlyMap<string, readonly CallSpan[]>;
  /**
   * Answers the kit's `/_admin/` endpoints; `false` for any other path (the simulator's own admin
   * endpoints, its API), which the simulator then answers itself.
   */
  handleAdmin(req: http.IncomingMessage, res: http.ServerResponse): Promise<boolean>;
  /**
   * Called once a vendor API request's connection is known and before it does anything: counts
   * it, then applies `down`, the rate limit, latency, the fault rules and `faultRate`.
   */
  admit(request: {
    connection: string;
    access: Access;
    res: http.ServerResponse;
  }): Promise<Admission>;
  /**
   * Called with the vendor's answer ready: loses it (the write happened; the socket is dropped)
   * or delays it after a successful write. `false`: do not answer, the connection is gone.
   */
  beforeAnswer(request: {
    connection: string;
    access: Access;
    res: http.ServerResponse;
    succeeded: boolean;
  }): Promise<boolean>;
  /** The kit's state back to start-up, and the simulator's `onReset`. */
  reset(): Promise<void>;
}

const silent: SimulatorLogger = { info: () => {}, warn: () => {} };

/**
 * The standard control protocol of a simulator, mounted at `/_admin/`: per-connection latency,
 * faults, rate limits, hangs and lost answers, a reset and traffic counters. The simulator keeps
 * its vendor API and store; it calls `admit` before serving a request and `beforeAnswer` before
 * sending the answer, and renders refusals in its vendor's dialect. See the README.
 */
export function createSimulatorControl<V extends Record<string, unknown> = Record<never, never>>(
  options: SimulatorControlOptions<V>,
): SimulatorControl<V> {
  const logger = options.logger ?? silent;
  const seed = options.seed ?? 1;
  const key = options.connectionsKey;
  const patchSchema = z.strictObject({
    ...commonGlobalKnobs,
    ...options.vendorKnobs,
    [key]: z
      .record(
        z.string(),
        // `null` for a whole connection clears all of its overrides.
        z.strictObject({ ...commonConnectionKnobs, ...options.vendorConnectionKnobs }).nullable(),
      )
      .optional(),
  });

  const initialConfig = (): ControlConfig<V> => ({
    latencyMs: options.defaults?.latencyMs ?? 0,
    responseDelayMs: options.defaults?.responseDelayMs ?? 0,
    faultRate: options.defaults?.faultRate ?? 0,
    down: options.defaults?.down ?? false,
    rateLimitPerSecond: options.defaults?.rateLimitPerSecond,
    ...(options.vendorDefaults?.() ?? ({} as V)),
    lostResponses: 0,
    connections: {},
  });

  let config = initialConfig();
  let rules: FaultRule[] = [];
  let nextRuleId = 1;
  let traffic = new Map<string, ConnectionTraffic>();
  const calls = createCallLog();
  /** One stream per connection: its faults repeat run to run whatever the others do. */
  let streams = new Map<string, () => number>();
  /** Requests held by `hang` rules, released by a reset. */
  const hanging = new Set<AbortController>();

  const setting = <K extends keyof ControlSettings>(connection: string, name: K) =>
    ((config.connections[connection] as Partial<ControlSettings> | undefined)?.[name] ??
      config[name]) as ControlSettings[K];
  /** One token bucket per connection for each rate in use: a changed rate starts a full bucket. */
  const limiters = new Map<number, ReturnType<typeof createRateLimiter>>();
  const limiterFor = (perSecond: number) => {
    let found = limiters.get(perSecond);
    if (!found) {
      found = createRateLimiter({ perSecond: () => perSecond });
      limiters.set(perSecond, found);
    }
    return found;
  };

  const draw = (connection: string): number => {
    let stream = streams.get(connection);
    if (!stream) {
      stream = createRandom(seed ^ hashString(`faults:${connection}`));
      streams.set(connection, stream);
    }
    return stream();
  };
  /** The first rule of one of `kinds` that takes this request; consumes one of its `count`. */
  const takeRule = (
    connection: string,
    access: Access,
    kinds: readonly FaultRule['kind'][],
  ): FaultRule | undefined => {
    for (const rule of rules) {
      if (!kinds.includes(rule.kind) || !ruleApplies(rule, connection, access)) continue;
      if (rule.share !== null && draw(connection) >= rule.share) continue;
      if (rule.remaining !== null) rule.remaining -= 1;
      return rule;
    }
    return undefined;
  };

  const publicConfig = () => {
    const { connections, ...rest } = config;
    return { ...rest, [key]: connections };
  };
  const publicTraffic = () => {
    const all = Object.fromEntries(traffic);
    return { connections: all, [key]: all };
  };

  function applyConfig(body: unknown): ControlAnswer {
    const parsed = patchSchema.safeParse(body);
    if (!parsed.success) {
      return {
        status: 400,
        body: { error: 'invalid_request', message: problemsOf(parsed.error.issues) },
      };
    }
    const { [key]: overrides, ...global } = parsed.data as Record<string, unknown>;
    const perConnection = (overrides ?? {}) as Record<string, Record<string, unknown> | null>;
    const known = new Set(options.connectionIds());
    const unknown = Object.keys(perConnection).filter((id) => !known.has(id));
    if (unknown.length > 0) {
      return {
        status: 400,
        body: { error: 'invalid_request', message: `Unknown ${key}: ${unknown.join(', ')}` },
      };
    }
    const connections = { ...config.connections };
    for (const [id, patch] of Object.entries(perConnection)) {
      if (patch === null) delete connections[id];
      else
        connections[id] = mergePatch(connections[id] ?? {}, patch, 'remove') as ConnectionOverride;
    }
    config = { ...mergePatch(config, global, 'unset'), connections };
    logger.info('config changed', { config: publicConfig() });
    return { status: 200, body: publicConfig() };
  }

  function addRule(body: unknown): ControlAnswer {
    const parsed = faultRuleInput.safeParse(body);
    if (!parsed.success) {
      return {
        status: 400,
        body: { error: 'invalid_request', message: problemsOf(parsed.error.issues) },
      };
    }
    const { connection } = parsed.data;
    if (connection !== allConnections && !new Set(options.connectionIds()).has(connection)) {
      return {
        status: 400,
        body: { error: 'invalid_request', message: `Unknown ${key}: ${connection}` },
      };
    }
    const rule = toFaultRule(nextRuleId, parsed.data);
    nextRuleId += 1;
    rules.push(rule);
    logger.info('fault rule added', { rule });
    return { status: 201, body: rule };
  }

  async function reset(): Promise<void> {
    for (const hold of hanging) hold.abort();
    hanging.clear();
    config = initialConfig();
    rules = [];
    traffic = new Map();
    calls.clear();
    streams = new Map();
    for (const each of limiters.values()) each.reset();
    await options.onReset?.();
    logger.info('reset to seed state');
  }

  async function hang(rule: FaultRule, res: http.ServerResponse): Promise<void> {
    const hold = new AbortController();
    hanging.add(hold);
    const gone = new Promise<void>((resolve) => res.once('close', () => resolve()));
    const waits: Promise<unknown>[] = [
      gone,
      sleep(rule.hangMs ?? 2_147_483_647, undefined, { signal: hold.signal }).catch(() => {}),
    ];
    await Promise.race(waits);
    hold.abort();
    hanging.delete(hold);
    res.destroy();
  }

  return {
    get config() {
      return config;
    },
    get traffic() {
      return traffic;
    },
    get calls() {
      return calls.byConnection;
    },
    setting,
    reset,

    handleAdmin: (req, res) =>
      answerControlAdmin(req, res, {
        config: publicConfig,
        applyConfig,
        addRule,
        faults: () => rules,
        clearFaults() {
          rules = [];
          logger.info('fault rules cleared');
        },
        removeFault(id) {
          const before = rules.length;
          rules = rules.filter((rule) => String(rule.id) !== id);
          return rules.length < before;
        },
        reset,
        traffic: publicTraffic,
        calls: () => {
          const { depth, connections } = calls.view();
          return { depth, connections, [key]: connections };
        },
        clearCalls: () => calls.clear(),
      }),

    async admit({ connection, access, res }) {
      const counted = trafficOf(traffic, connection);
      counted.requests += 1;
      calls.record(connection, access, res);
      counted[access === 'read' ? 'reads' : 'writes'] += 1;
      if (setting(connection, 'down')) {
        counted.faults += 1;
        return { kind: 'refuse', status: 503, reason: 'down' };
      }
      const perSecond = setting(connection, 'rateLimitPerSecond');
      if (perSecond !== undefined) {
        const decision = limiterFor(perSecond).take(connection);
        if (!decision.ok) {
          counted.rateLimited += 1;
          return {
            kind: 'refuse',
            status: 429,
            retryAfterSeconds: decision.retryAfterSeconds,
            reason: 'rateLimited',
          };
        }
      }
      const latencyMs = setting(connection, 'latencyMs');
      if (latencyMs > 0) await sleep(latencyMs);
      const rule = takeRule(connection, access, ['error', 'rateLimit', 'hang']);
      if (rule?.kind === 'hang') {
        counted.hung += 1;
        logger.info('holding a request unanswered', { connection, access, rule: rule.id });
        await hang(rule, res);
        return { kind: 'dropped' };
      }
      if (rule?.kind === 'rateLimit') {
        counted.rateLimited += 1;
        logger.info('injected rate limit', { connection, access, rule: rule.id });
        return {
          kind: 'refuse',
          status: 429,
          retryAfterSeconds: rule.retryAfterSeconds,
          reason: 'rateLimited',
        };
      }
      if (rule || draw(connection) < setting(connection, 'faultRate')) {
        counted.faults += 1;
        logger.info('injected fault', { connection, access, ...(rule && { rule: rule.id }) });
        return { kind: 'refuse', status: rule?.status ?? 503, reason: 'fault' };
      }
      return { kind: 'proceed' };
    },

    async beforeAnswer({ connection, access, res, succeeded }) {
      if (!succeeded) return true;
      const lose =
        (access === 'write' && config.lostResponses > 0) ||
        takeRule(connection, access, ['loseAnswer']) !== undefined;
      if (lose) {
        if (access === 'write' && config.lostResponses > 0) config.lostResponses -= 1;
        trafficOf(traffic, connection).lostAnswers += 1;
        logger.warn(`dropped the response to a ${access}`, { connection, access });
        res.destroy();
        return false;
      }
      const delayMs = setting(connection, 'responseDelayMs');
      if (access === 'write' && delayMs > 0) {
        // Only the answer waits: the write is visible at once, for crash tests to hit the window.
        await sleep(delayMs);
        if (res.destroyed) {
          logger.info('caller left before a delayed response', { connection, access });
          return false;
        }
      }
      return true;
    },
  };
}
