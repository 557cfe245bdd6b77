import { z } from 'zod';

/** The knobs every simulator has, globally and per connection. */
export interface ControlSettings {
  /** Delay before every request is processed, in milliseconds. */
  latencyMs: number;
  /** Delay between performing a successful write and answering it, in milliseconds. */
  responseDelayMs: number;
  /** Share of requests answered with a 503, 0..1, drawn from a seeded stream per connection. */
  faultRate: number;
  /** When true, every request is answered with a 503. */
  down: boolean;
  /** Requests per second a connection may make before `429` with `Retry-After`; unset: no limit. */
  rateLimitPerSecond: number | undefined;
}

/** A connection's overrides: each key it sets replaces the global value for that connection. */
export type ConnectionOverride = Partial<ControlSettings> & Record<string, unknown>;

/**
 * The configuration in effect: the common knobs, the simulator's own knobs (`V`), how many more
 * successful writes lose their answer, and the per-connection overrides under the simulator's
 * name for its connections (`tenants`, `units`, `publishers`).
 */
export type ControlConfig<V> = ControlSettings &
  V & {
    lostResponses: number;
    connections: Record<string, ConnectionOverride>;
  };

const latency = z.number().int().min(0).max(600_000);
const share = z.number().min(0).max(1);
const rate = z.number().positive().max(1_000_000);

/** The common knobs of a `POST /_admin/config` patch, global or per connection. */
export const commonGlobalKnobs = {
  latencyMs: latency.optional(),
  responseDelayMs: latency.optional(),
  faultRate: share.optional(),
  down: z.boolean().optional(),
  // `null`: no limit.
  rateLimitPerSecond: rate.nullable().optional(),
  lostResponses: z.number().int().min(0).optional(),
};

/** Per connection, `null` clears an override so the connection follows the global value again. */
export const commonConnectionKnobs = {
  latencyMs: latency.nullable().optional(),
  responseDelayMs: latency.nullable().optional(),
  faultRate: share.nullable().optional(),
  down: z.boolean().nullable().optional(),
  rateLimitPerSecond: rate.nullable().optional(),
};

/**
 * Applies a parsed patch to `target`: `undefined` leaves a key alone; `null` removes it
 * (`remove`) or sets it to `undefined` (globals, whose absence means "the default").
 */
export function mergePatch<T extends Record<string, unknown>>(
  target: T,
  patch: Record<string, unknown>,
  onNull: 'remove' | 'unset',
): T {
  const next: Record<string, unknown> = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (value === undefined) continue;
    if (value === null) {
      if (onNull === 'remove') delete next[key];
      else next[key] = undefined;
    } else next[key] = value;
  }
  return next as T;
}

/** `path: rule` lines, never a value. */
export function problemsOf(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}
