import type { z } from 'zod';

/*
 * What every client generated from a vendor's OpenAPI document (`npm run generate:clients`) checks
 * a request with before the kit's transport sends it.
 */

/** A request that broke the vendor's documented rules: the paths and rules, never the values. */
export class InvalidOperationInput extends Error {
  constructor(
    readonly operation: string,
    readonly issues: readonly { path: string; message: string }[],
  ) {
    super(
      `${operation}: invalid input (${issues.map((i) => `${i.path}: ${i.message}`).join('; ')})`,
    );
    this.name = 'InvalidOperationInput';
  }
}

/**
 * `value` once it follows `schema`. The value itself is sent, not zod's output: int64 fields parse
 * to `bigint`, which JSON cannot carry, and defaults are the vendor's to apply.
 */
export function checkOperationInput<S extends z.ZodType>(
  operation: string,
  part: string,
  schema: S,
  value: z.input<S>,
): z.input<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return value;
  throw new InvalidOperationInput(
    operation,
    parsed.error.issues.map((issue) => ({
      path: [part, ...issue.path].join('.'),
      message: issue.message,
    })),
  );
}

/** Path and query values as the transport takes them; absent ones left out. */
export function operationValues(values: object | undefined): Record<string, string> | undefined {
  if (values === undefined) return undefined;
  return Object.fromEntries(
    Object.entries(values).flatMap(([key, value]): [string, string][] =>
      value === undefined || value === null ? [] : [[key, String(value)]],
    ),
  );
}
