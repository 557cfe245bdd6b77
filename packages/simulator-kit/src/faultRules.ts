import { z } from 'zod';

/** Which requests a rule applies to: reads, writes (the simulator says which is which), or both. */
export const accessTargets = ['reads', 'writes', 'both'] as const;
export type AccessTarget = (typeof accessTargets)[number];
export type Access = 'read' | 'write';

/** Every connection, in a rule's `connection` and in the traffic counters. */
export const allConnections = '*';

/**
 * One rule of `POST /_admin/faults`. `count` answers that many matching requests and then the
 * rule is spent; `share` picks matching requests at that rate (seeded, per connection); neither:
 * every matching request until the rule is removed.
 */
export const faultRuleInput = z
  .strictObject({
    /** A connection id, or `*` for all. Default: `*`. */
    connection: z.string().min(1).max(200).default(allConnections),
    /** Default: `both`, except `loseAnswer`: `writes`. */
    on: z.enum(accessTargets).optional(),
    kind: z.enum(['error', 'rateLimit', 'hang', 'loseAnswer']),
    count: z.number().int().min(1).max(1_000_000).optional(),
    share: z.number().min(0).max(1).optional(),
    /**
     * `error`: the HTTP status, 500..599 (the system failing) or 400..499 but 429 (the system
     * refusing the request as malformed; `rateLimit` is the 429). Default: 503.
     */
    status: z
      .number()
      .int()
      .min(400)
      .max(599)
      .refine((status) => status !== 429, 'use the rateLimit kind for 429')
      .optional(),
    /** `rateLimit`: the `Retry-After` header, in seconds. Default: 1. */
    retryAfterSeconds: z.number().int().min(0).max(86_400).optional(),
    /**
     * `hang`: how long the request is held before its connection is dropped, unanswered.
     * Default: until the caller gives up (or a reset, or the simulator closes).
     */
    hangMs: z.number().int().min(1).max(3_600_000).optional(),
  })
  .refine((rule) => rule.count === undefined || rule.share === undefined, {
    message: 'count or share, not both',
  });

export interface FaultRule {
  readonly id: number;
  readonly connection: string;
  readonly on: AccessTarget;
  readonly kind: 'error' | 'rateLimit' | 'hang' | 'loseAnswer';
  /** Matching requests still to answer this way; `null`: no limit. */
  remaining: number | null;
  readonly share: number | null;
  readonly status: number;
  readonly retryAfterSeconds: number;
  readonly hangMs: number | null;
}

export function toFaultRule(id: number, input: z.output<typeof faultRuleInput>): FaultRule {
  return {
    id,
    connection: input.connection,
    on: input.on ?? (input.kind === 'loseAnswer' ? 'writes' : 'both'),
    kind: input.kind,
    remaining: input.count ?? null,
    share: input.share ?? null,
    status: input.kind === 'rateLimit' ? 429 : (input.status ?? 503),
    retryAfterSeconds: input.retryAfterSeconds ?? 1,
    hangMs: input.hangMs ?? null,
  };
}

/** Whether `rule` applies to a request of `connection` and `access` (before its share is drawn). */
export function ruleApplies(rule: FaultRule, connection: string, access: Access): boolean {
  if (rule.remaining === 0) return false;
  if (rule.connection !== allConnections && rule.connection !== connection) return false;
  return rule.on === 'both' || rule.on === `${access}s`;
}
