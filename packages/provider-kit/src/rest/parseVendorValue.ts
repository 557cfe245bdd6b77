import type { z } from 'zod';
import { ProviderError, ProviderErrorCode } from '../errors.js';
import { describeIssues } from './describeIssues.js';

/**
 * `value` as `schema` says a vendor's answer (or a part of one) looks, or a `BAD_RESPONSE`
 * provider error naming `what` and the problems: their paths and rules, never the values.
 */
export function parseVendorValue<T>(schema: z.ZodType<T>, value: unknown, what: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ProviderError(
    ProviderErrorCode.BadResponse,
    `${what} (${describeIssues(parsed.error)})`,
  );
}
