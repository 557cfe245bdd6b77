import type { z } from 'zod';

/**
 * Slot ids for vendors whose free times have no id of their own (an availability search answers
 * times): the fields needed to book the time again, as an opaque URL-safe id.
 */
export function encodeSlotKey(key: Readonly<Record<string, string | number>>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

/** The key in a slot id made by `encodeSlotKey`, or null when `id` is not one that follows `schema`. */
export function decodeSlotKey<T>(id: string, schema: z.ZodType<T>): T | null {
  try {
    const parsed = schema.safeParse(JSON.parse(Buffer.from(id, 'base64url').toString('utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
