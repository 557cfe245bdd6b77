import { ProviderError, ProviderErrorCode } from '@booking/provider-kit';
import { type Dispatcher, request } from 'undici';
import type { z } from 'zod';
import { vendorBooking, vendorClinic, vendorSlot, vendorSlotState } from './schemas.js';

/** What a call to the vendor answered: its body when 2xx, else the status for the adapter to map. */
export type VendorOutcome<T> =
  | { ok: true; status: number; value: T }
  | { ok: false; status: number };

/**
 * Speaks the Square vendor API: one method per endpoint, every response validated. Requests go
 * through the connection's own `dispatcher` (keep-alive sockets of this tenant only).
 */
export function createSquareClient(baseUrl: string, dispatcher: Dispatcher) {
  async function call<T>(
    schema: z.ZodType<T>,
    method: string,
    path: string,
    signal: AbortSignal,
    body?: unknown,
  ): Promise<VendorOutcome<T>> {
    const response = await request(new URL(path, baseUrl), {
      method: method as 'GET',
      headers: { 'content-type': 'application/json' },
      ...(body !== undefined && { body: JSON.stringify(body) }),
      signal,
      dispatcher,
    });
    const text = await response.body.text();
    if (response.statusCode >= 500) {
      throw new ProviderError(
        ProviderErrorCode.Unavailable,
        `square answered ${response.statusCode}`,
        { status: response.statusCode },
      );
    }
    if (response.statusCode >= 300) return { ok: false, status: response.statusCode };
    const parsed = schema.safeParse(JSON.parse(text));
    if (!parsed.success)
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `unexpected square response to ${path}`,
      );
    return { ok: true, status: response.statusCode, value: parsed.data };
  }
  return {
    clinics: (signal: AbortSignal) => call(vendorClinic.array(), 'GET', 'clinics', signal),
    slots: (from: string, to: string, signal: AbortSignal) =>
      call(vendorSlot.array(), 'GET', `slots?${new URLSearchParams({ from, to })}`, signal),
    slot: (id: string, signal: AbortSignal) =>
      call(vendorSlotState, 'GET', `slots/${encodeURIComponent(id)}`, signal),
    bookingsByRef: (ref: string, signal: AbortSignal) =>
      call(
        vendorBooking.array(),
        'GET',
        `bookings?${new URLSearchParams({ externalRef: ref })}`,
        signal,
      ),
    book: (slotId: string, externalRef: string, signal: AbortSignal) =>
      call(vendorBooking, 'POST', 'bookings', signal, { slotId, externalRef }),
    cancel: (id: string, signal: AbortSignal) =>
      call(vendorBooking, 'DELETE', `bookings/${encodeURIComponent(id)}`, signal),
  };
}

export type SquareClient = ReturnType<typeof createSquareClient>;
