import { ApolloClient, InMemoryCache } from '@apollo/client';
import {
  type AvailabilityFilter,
  bookingErrorCode,
  holdAfterConfirm,
  type PatientInput,
  validatePatient,
} from '@varden/booking-sdk';
import { createBookingLink, possibleTypes, typePolicies } from '@varden/booking-sdk/apollo';
import {
  AvailabilityDocument,
  CancelReservationDocument,
  ConfirmReservationDocument,
  HoldSlotDocument,
} from '@varden/booking-sdk/documents';
import { UserManager } from 'oidc-client-ts';

// Vården's identity provider signs the patient in (authorization code with PKCE) and issues an
// access token for the booking API (aud=booking-api) with the reservation scopes.
export const auth = new UserManager({
  authority: 'https://login.example.se',
  client_id: 'booking-web',
  redirect_uri: 'https://boka.example.se/',
  scope: 'openid availability:read reservations:read reservations:write',
});

export const client = new ApolloClient({
  link: createBookingLink({
    uri: 'https://booking.example.se/graphql',
    // Asked before every request, retries included, so a renewed token is used at once.
    getToken: async () => (await auth.getUser())?.access_token,
  }),
  cache: new InMemoryCache({ typePolicies, possibleTypes }),
});

/** What to tell the patient when a call failed. */
export function problemOf(error: unknown): string {
  switch (bookingErrorCode(error)) {
    case 'UNAUTHENTICATED':
      void auth.signinRedirect();
      return 'Your session has ended: sign in again.';
    case 'RATE_LIMITED':
    case 'PROVIDER_UNAVAILABLE':
    case 'SERVICE_UNAVAILABLE':
      return 'The booking service is busy: try again in a moment.';
    case 'NETWORK_ERROR':
      return 'The booking service cannot be reached: check the connection.';
    case null:
      throw error; // not an error of the API: a bug of the page
    default:
      return 'Something went wrong: try again.';
  }
}

/**
 * The free slots of a search, a page at a time: subscribe to `slots` to render the list, call
 * `more()` for the next page (appended to the same list by `typePolicies`). Build the filter once:
 * it keys the cached list. In React, `useQuery(AvailabilityDocument, …)` gives the same
 * `fetchMore`.
 */
export function searchSlots(filter: AvailabilityFilter) {
  const slots = client.watchQuery({
    query: AvailabilityDocument,
    variables: { filter, first: 50 },
  });
  const more = async () => {
    const { data, dataState } = slots.getCurrentResult();
    if (dataState !== 'complete' || !data.availability.pageInfo.hasNextPage) return;
    await slots.fetchMore({ variables: { after: data.availability.pageInfo.endCursor } });
  };
  return { slots, more };
}

/**
 * When the patient picks a slot: hold it, so nobody else takes it while they fill in the form.
 * Resolves with the held reservation's id, or with why the slot cannot be held.
 */
export async function hold(
  slotId: string,
): Promise<{ reservationId: string } | { problem: string }> {
  try {
    const { data } = await client.mutate({
      mutation: HoldSlotDocument,
      // One key per booking the patient makes: the link retries with it, never books twice.
      variables: { input: { slotId, idempotencyKey: crypto.randomUUID() } },
    });
    const result = data?.holdSlot;
    if (result?.__typename === 'ReservationResult') return { reservationId: result.reservation.id };
    if (result?.__typename === 'BookingByLink') return { problem: `Book at ${result.bookingUrl}` };
    return { problem: result?.message ?? 'The slot could not be held.' };
  } catch (error) {
    return { problem: problemOf(error) };
  }
}

/** Releases a hold the patient will not confirm, so the slot is free again at once. */
async function release(reservationId: string): Promise<void> {
  await client
    .mutate({
      mutation: CancelReservationDocument,
      variables: { input: { reservationId, idempotencyKey: crypto.randomUUID() } },
    })
    .catch(() => {}); // the hold runs out by itself anyway
}

/** One idempotency key per reservation's confirm, kept while it may be repeated. */
const confirmKeys = new Map<string, string>();

/**
 * When the patient submits the form: check their details exactly as the platform will (nothing
 * is sent while they are wrong, and the hold is kept for them to fix), then confirm.
 * `holdAfterConfirm` says what the outcome leaves to do: a confirm that can never go through
 * releases the hold; one without an answer keeps it, to be repeated with the same key.
 */
export async function confirm(
  reservationId: string,
  patient: PatientInput,
): Promise<{ booked: string } | { field: string; problem: string } | { problem: string }> {
  const checked = validatePatient(patient);
  if (!checked.ok) return { field: checked.field, problem: checked.message };
  const idempotencyKey = confirmKeys.get(reservationId) ?? crypto.randomUUID();
  confirmKeys.set(reservationId, idempotencyKey);
  try {
    const { data } = await client.mutate({
      mutation: ConfirmReservationDocument,
      variables: { input: { reservationId, patient, idempotencyKey } },
    });
    const result = data!.confirmReservation;
    const next = holdAfterConfirm(result.__typename);
    if (next !== 'keep') confirmKeys.delete(reservationId);
    if (next === 'release') await release(reservationId);
    switch (result.__typename) {
      case 'ReservationResult':
        return { booked: result.reservation.id };
      case 'InvalidInput':
        return { field: result.field, problem: result.message };
      case 'HoldExpired':
        return { problem: 'The hold ran out: pick the slot again.' };
      default:
        return { problem: result.message };
    }
  } catch (error) {
    // No answer: it may even have booked. Confirming again with the same key tells.
    return { problem: `${problemOf(error)} Try again: the time is still held for you.` };
  }
}
