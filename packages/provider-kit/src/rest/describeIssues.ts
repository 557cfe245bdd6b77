import type { z } from 'zod';

/**
 * The first few problems of a failed validation, as `path: rule`. Paths and rules only: never the
 * values, which could be anything the vendor sent, patient data included.
 */
export function describeIssues(error: z.ZodError, limit = 3): string {
  return error.issues
    .slice(0, limit)
    .map((issue) => `${issue.path.join('.') || '(body)'}: ${issue.message}`)
    .join('; ');
}
