import { createOperationClient } from '@booking/provider-kit';
import type { Dispatcher } from 'undici';
import { z } from 'zod';

/**
 * Square's error body. Codes are read as strings, not as the document's `ErrorCode` enum: Square
 * answers codes the enum lacks (`VERSION_MISMATCH`) and adds new ones without notice.
 * @link https://developer.squareup.com/reference/square/objects/Error
 */
const squareErrors = z.object({
  errors: z.array(z.object({ code: z.string(), field: z.string().optional() })),
});
export type SquareErrors = z.infer<typeof squareErrors>;

/**
 * Square's API for one seller, through the kit's REST transport and the requests generated from
 * Square's OpenAPI document (`src/__generated__/client.gen.ts`).
 */
export function createSquareClient(options: {
  baseUrl: string;
  /** Sent as `Authorization: Bearer`; never logged. */
  accessToken: string;
  /** Sent as `Square-Version` on every call. */
  squareVersion: string;
  dispatcher: Dispatcher;
  now?: () => number;
}) {
  return createOperationClient(
    {
      label: 'Square',
      baseUrl: options.baseUrl,
      dispatcher: options.dispatcher,
      auth: { scheme: 'bearer', token: options.accessToken },
      expectedFailures: { statuses: [400, 404, 409, 422], schema: squareErrors },
      now: options.now,
    },
    { headers: { 'square-version': options.squareVersion } },
  );
}

export type SquareClient = ReturnType<typeof createSquareClient>;
