import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import {
  AvailabilityDocument,
  AvailabilityEventsDocument,
  type AvailabilityEventsQuery,
  type AvailabilityEventsQueryVariables,
  type AvailabilityQuery,
  type AvailabilityQueryVariables,
  AvailabilityWatchesDocument,
  type AvailabilityWatchesQuery,
  CancelAvailabilityWatchDocument,
  type CancelAvailabilityWatchMutation,
  CancelReservationDocument,
  type CancelReservationInput,
  type CancelReservationMutation,
  ClinicDocument,
  type ClinicQuery,
  type ClinicQueryVariables,
  ClinicsDocument,
  type ClinicsQuery,
  type ClinicsQueryVariables,
  ConfirmReservationDocument,
  type ConfirmReservationInput,
  type ConfirmReservationMutation,
  CreateWebhookEndpointDocument,
  type CreateWebhookEndpointInput,
  type CreateWebhookEndpointMutation,
  DeleteWebhookEndpointDocument,
  HoldSlotDocument,
  type HoldSlotInput,
  type HoldSlotMutation,
  MyReservationsDocument,
  type MyReservationsQuery,
  type MyReservationsQueryVariables,
  ProvidersDocument,
  type ProvidersQuery,
  RedeliverWebhookDocument,
  ReplayWebhooksDocument,
  type ReplayWebhooksInput,
  type ReplayWebhooksMutation,
  RescheduleReservationDocument,
  type RescheduleReservationInput,
  type RescheduleReservationMutation,
  ReservationDocument,
  ReservationEventsDocument,
  type ReservationEventsQuery,
  type ReservationEventsQueryVariables,
  type ReservationQuery,
  type ReservationQueryVariables,
  ReserveSlotDocument,
  type ReserveSlotInput,
  type ReserveSlotMutation,
  SlotDocument,
  type SlotQuery,
  type SlotQueryVariables,
  TreatmentsDocument,
  type TreatmentsQuery,
  UpdateWebhookEndpointDocument,
  type UpdateWebhookEndpointInput,
  type UpdateWebhookEndpointMutation,
  WatchAvailabilityDocument,
  type WatchAvailabilityInput,
  type WatchAvailabilityMutation,
  WebhookDeliveriesDocument,
  type WebhookDeliveriesQuery,
  type WebhookDeliveriesQueryVariables,
  WebhookEndpointsDocument,
  type WebhookEndpointsQuery,
} from './__generated__/graphql.js';
import manifest from './__generated__/persisted-documents.json' with { type: 'json' };
import { BookingApiError, type GraphQLErrorPayload } from './BookingApiError.js';
import { documentHash } from './documentHash.js';
import {
  isRepeatable,
  isRetryableStatus,
  nextAttemptDelayMs,
  type RetryOptions,
  retryAfterMs,
  retryPolicy,
  stillRunningMs,
} from './retryPolicy.js';

/** Options of {@link createBookingClient}. */
export interface BookingClientOptions {
  /** The gateway's GraphQL endpoint, e.g. `https://booking.example.se/graphql`. Required. */
  url: string;
  /** A fixed bearer token, sent as `Authorization: Bearer <token>`. Default: none. */
  token?: string;
  /**
   * Returns the bearer token; called before every HTTP request (retries included), so a refreshed
   * token is picked up. Takes precedence over `token`. What it throws is rethrown unchanged.
   * Default: none.
   */
  getToken?: () => string | null | undefined | Promise<string | null | undefined>;
  /** The `fetch` to use, e.g. one with a proxy agent or test double. Default: `globalThis.fetch`. */
  fetch?: typeof globalThis.fetch;
  /** How long one HTTP request may take, answer body included, before it is aborted. Default: `10000` ms. */
  timeoutMs?: number;
  /**
   * Retries of connection failures (refused, reset, `socket hang up`), timeouts, 5xx and 429
   * answers (never of other 4xx or of GraphQL errors in a 200 answer). Queries are always safe to
   * repeat and every mutation carries an `idempotencyKey`, so both are retried, a mutation with the
   * same key: the platform answers a repeat with the first call's outcome. A mutation answered
   * `ProviderUnavailable` with `retryAfterSeconds` (an earlier call with its key is still waiting
   * for the provider) is repeated after that long for its outcome. `false` makes exactly one
   * request. Default: `{}` (the defaults of {@link RetryOptions}).
   */
  retry?: RetryOptions | false;
  /**
   * `'hash'` sends only the operation's sha256 hash (`extensions.persistedQuery`), never its text,
   * for gateways that run trusted documents only; `'off'` sends the text (exactly as in the
   * manifest, so a gateway that allow-lists by text accepts it too). Default: `'off'`.
   */
  persistedDocuments?: 'off' | 'hash';
  /** Extra headers on every request, e.g. `{ 'x-request-id': … }`. Default: none. */
  headers?: Record<string, string>;
}

/**
 * A typed client of the Booking Platform: one method per public operation. Methods resolve with the
 * operation's result field; every failure that is not a schema result rejects with a
 * {@link BookingApiError}. Mutations resolve with their result union: narrow on `__typename`.
 */
export interface BookingClient {
  /** Free slots across providers in one list ordered by start; page with `first` and `after`. */
  availability(variables: AvailabilityQueryVariables): Promise<AvailabilityQuery['availability']>;
  /** One slot, asked of its provider at once; null when the provider no longer has it. */
  slot(variables: SlotQueryVariables): Promise<SlotQuery['slot']>;
  /** Every provider connection with its health and capabilities. */
  providers(): Promise<ProvidersQuery['providers']>;
  /** Clinics ordered by name, filtered and paginated; every clinic when called without variables. */
  clinics(variables?: ClinicsQueryVariables): Promise<ClinicsQuery['clinics']>;
  /** One clinic; null when no provider lists it. */
  clinic(variables: ClinicQueryVariables): Promise<ClinicQuery['clinic']>;
  /** The platform's treatment catalogue. */
  treatments(): Promise<TreatmentsQuery['treatments']>;
  /** One reservation of the caller; null when it does not exist or is someone else's. */
  reservation(variables: ReservationQueryVariables): Promise<ReservationQuery['reservation']>;
  /**
   * The caller's reservations, newest first, paged with `first` and `after`: a patient's own with
   * a patient's token, every one of the application with a backend client's.
   */
  myReservations(
    variables?: MyReservationsQueryVariables,
  ): Promise<MyReservationsQuery['myReservations']>;
  /**
   * Every change of the caller's reservations, oldest first, from `after` on: keep the page's
   * `pageInfo.endCursor` and ask again with it to get what happened since (it is the same cursor
   * when nothing did).
   */
  reservationEvents(
    variables?: ReservationEventsQueryVariables,
  ): Promise<ReservationEventsQuery['reservationEvents']>;
  /** Holds a slot for a short time (see `reservation.expiresAt`) while the patient completes. */
  holdSlot(input: HoldSlotInput): Promise<HoldSlotMutation['holdSlot']>;
  /** Books a held slot for the patient. */
  confirmReservation(
    input: ConfirmReservationInput,
  ): Promise<ConfirmReservationMutation['confirmReservation']>;
  /** Holds and confirms a slot in one call. */
  reserveSlot(input: ReserveSlotInput): Promise<ReserveSlotMutation['reserveSlot']>;
  /** Cancels a confirmed reservation or releases a hold. */
  cancelReservation(
    input: CancelReservationInput,
  ): Promise<CancelReservationMutation['cancelReservation']>;
  /** Moves a confirmed reservation to another slot; resolves with the new reservation. */
  rescheduleReservation(
    input: RescheduleReservationInput,
  ): Promise<RescheduleReservationMutation['rescheduleReservation']>;
  /**
   * Asks to be told when a slot the patient waits for opens (treatment, clinics, providers or an
   * area, before a date): `availability.slot_opened` webhooks and `availabilityEvents`.
   */
  watchAvailability(
    input: WatchAvailabilityInput,
  ): Promise<WatchAvailabilityMutation['watchAvailability']>;
  /** Ends one of the caller's watches. */
  cancelAvailabilityWatch(
    id: string,
  ): Promise<CancelAvailabilityWatchMutation['cancelAvailabilityWatch']>;
  /** The caller's watches, newest first. */
  availabilityWatches(): Promise<AvailabilityWatchesQuery['availabilityWatches']>;
  /** Every slot the caller's watches saw open, oldest first, from `after` on (as `reservationEvents`). */
  availabilityEvents(
    variables?: AvailabilityEventsQueryVariables,
  ): Promise<AvailabilityEventsQuery['availabilityEvents']>;
  /** The application's webhook endpoints (the `webhooks:manage` scope, a backend client). */
  webhookEndpoints(): Promise<WebhookEndpointsQuery['webhookEndpoints']>;
  /**
   * Registers a webhook endpoint; keep the answer's `secret` (shown once) to check deliveries with
   * `verifyWebhook`.
   */
  createWebhookEndpoint(
    input: CreateWebhookEndpointInput,
  ): Promise<CreateWebhookEndpointMutation['createWebhookEndpoint']>;
  /** Changes an endpoint (URL, event types, enabled, `rotateSecret`). */
  updateWebhookEndpoint(
    input: UpdateWebhookEndpointInput,
  ): Promise<UpdateWebhookEndpointMutation['updateWebhookEndpoint']>;
  /** Deletes an endpoint and its delivery log. */
  deleteWebhookEndpoint(id: string): Promise<boolean>;
  /** An endpoint's delivery log, newest first. */
  webhookDeliveries(
    variables: WebhookDeliveriesQueryVariables,
  ): Promise<WebhookDeliveriesQuery['webhookDeliveries']>;
  /** Sends one delivery again at once. */
  redeliverWebhook(deliveryId: string): Promise<boolean>;
  /** Sends every event since `since` to an endpoint again; resolves with how many. */
  replayWebhooks(input: ReplayWebhooksInput): Promise<ReplayWebhooksMutation['replayWebhooks']>;
  /**
   * Runs any document (the SDK's, from `@varden/booking-sdk/documents`, or your own) with the
   * client's headers, timeout and retries, resolving with the whole `data`. A mutation is retried
   * only when its `input` has an `idempotencyKey`. In `'hash'` mode only the SDK's documents work.
   */
  execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult>;
}

interface Operation {
  name: string;
  type: 'query' | 'mutation' | 'subscription';
  /** sha256 hex of the normalized text; set on the SDK's documents. */
  hash: string | undefined;
}

/** One request's failure, before it becomes a {@link BookingApiError}. */
interface Failure {
  message: string;
  code: BookingApiError['code'];
  status?: number;
  errors?: readonly GraphQLErrorPayload[];
  cause?: unknown;
  retryable: boolean;
  retryAfterMs?: number | undefined;
}

const persisted: Readonly<Record<string, string>> = manifest;

function describeOperation(document: TypedDocumentNode<unknown, unknown>): Operation {
  const definition = document.definitions.find(
    (d): d is Extract<typeof d, { operation: unknown }> => 'operation' in d,
  );
  if (!definition?.name) throw new TypeError('the document has no named operation');
  return {
    name: definition.name.value,
    type: definition.operation as Operation['type'],
    hash: documentHash(document),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Creates a client of the Booking Platform's gateway for backends (Node 20+ or any runtime with
 * `fetch` and `AbortSignal.timeout`).
 *
 * @example
 * const booking = createBookingClient({ url: 'https://booking.example.se/graphql', getToken });
 * const result = await booking.reserveSlot({ slotId, patient, idempotencyKey: randomUUID() });
 * if (result.__typename === 'ReservationResult') console.log(result.reservation.status);
 */
export function createBookingClient(options: BookingClientOptions): BookingClient {
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;
  const policy = retryPolicy(options.retry);
  const mode = options.persistedDocuments ?? 'off';

  async function send(
    operation: Operation,
    body: string,
  ): Promise<{ data: Record<string, unknown> } | Failure> {
    const token = options.getToken ? await options.getToken() : options.token;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...options.headers,
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    };
    const signal = AbortSignal.timeout(timeoutMs);
    let response: Response;
    let text: string;
    try {
      response = await fetchImpl(options.url, { method: 'POST', headers, body, signal });
      text = await response.text();
    } catch (cause) {
      const timedOut = signal.aborted;
      return {
        code: timedOut ? 'TIMEOUT' : 'NETWORK_ERROR',
        message: timedOut
          ? `${operation.name}: no answer within ${timeoutMs} ms`
          : `${operation.name}: ${(cause as Error).message ?? 'network error'}`,
        cause,
        retryable: true,
      };
    }
    const { status } = response;
    const retryable = isRetryableStatus(status);
    const serverWaitMs = retryAfterMs(status, response.headers.get('retry-after'));
    let payload: { data?: unknown; errors?: unknown } | undefined;
    try {
      payload = JSON.parse(text) as typeof payload;
    } catch {
      payload = undefined;
    }
    const errors = Array.isArray(payload?.errors) ? (payload.errors as GraphQLErrorPayload[]) : [];
    if (errors.length > 0) {
      return {
        code: errors[0]?.extensions?.code ?? 'GRAPHQL_ERROR',
        message: `${operation.name}: ${errors.map((e) => e.message).join('; ')}`,
        status,
        errors,
        retryable,
        retryAfterMs: serverWaitMs,
      };
    }
    if (!response.ok) {
      return {
        code: 'HTTP_ERROR',
        message: `${operation.name}: HTTP ${status} ${text.slice(0, 200)}`.trimEnd(),
        status,
        retryable,
        retryAfterMs: serverWaitMs,
      };
    }
    if (typeof payload?.data !== 'object' || payload.data === null) {
      return {
        code: 'GRAPHQL_ERROR',
        message: `${operation.name}: the answer has no data`,
        status,
        retryable: false,
      };
    }
    return { data: payload.data as Record<string, unknown> };
  }

  async function execute<TResult, TVariables>(
    document: TypedDocumentNode<TResult, TVariables>,
    variables: TVariables,
  ): Promise<TResult> {
    const operation = describeOperation(document as TypedDocumentNode<unknown, unknown>);
    let body: string;
    if (mode === 'hash') {
      if (!operation.hash) {
        throw new TypeError(`${operation.name} is not a persisted document of the SDK`);
      }
      body = JSON.stringify({
        operationName: operation.name,
        variables,
        extensions: { persistedQuery: { version: 1, sha256Hash: operation.hash } },
      });
    } else {
      const query = (operation.hash && persisted[operation.hash]) || print(document);
      body = JSON.stringify({ operationName: operation.name, query, variables });
    }
    const allowed = isRepeatable(operation.type, variables) ? policy.attempts : 1;
    for (let attempt = 1; ; attempt++) {
      const outcome = await send(operation, body);
      if ('data' in outcome) {
        // An earlier call with the key is still running: ask again when it says, while allowed.
        const pendingMs = operation.type === 'mutation' ? stillRunningMs(outcome.data) : undefined;
        const wait =
          pendingMs === undefined
            ? undefined
            : nextAttemptDelayMs(policy, attempt, allowed, pendingMs);
        if (wait === undefined) return outcome.data as TResult;
        await sleep(wait);
        continue;
      }
      const wait = outcome.retryable
        ? nextAttemptDelayMs(policy, attempt, allowed, outcome.retryAfterMs)
        : undefined;
      if (wait === undefined) {
        const { retryable: _, retryAfterMs: __, ...failure } = outcome;
        throw new BookingApiError({ ...failure, operationName: operation.name, attempts: attempt });
      }
      await sleep(wait);
    }
  }

  const field =
    <K extends string>(key: K) =>
    <T extends { [P in K]: unknown }>(data: T): T[K] =>
      data[key];

  return {
    availability: (variables) =>
      execute(AvailabilityDocument, variables).then(field('availability')),
    slot: (variables) => execute(SlotDocument, variables).then(field('slot')),
    providers: () => execute(ProvidersDocument, {}).then(field('providers')),
    clinics: (variables = {}) => execute(ClinicsDocument, variables).then(field('clinics')),
    clinic: (variables) => execute(ClinicDocument, variables).then(field('clinic')),
    treatments: () => execute(TreatmentsDocument, {}).then(field('treatments')),
    reservation: (variables) => execute(ReservationDocument, variables).then(field('reservation')),
    myReservations: (variables = {}) =>
      execute(MyReservationsDocument, variables).then(field('myReservations')),
    reservationEvents: (variables = {}) =>
      execute(ReservationEventsDocument, variables).then(field('reservationEvents')),
    holdSlot: (input) => execute(HoldSlotDocument, { input }).then(field('holdSlot')),
    confirmReservation: (input) =>
      execute(ConfirmReservationDocument, { input }).then(field('confirmReservation')),
    reserveSlot: (input) => execute(ReserveSlotDocument, { input }).then(field('reserveSlot')),
    cancelReservation: (input) =>
      execute(CancelReservationDocument, { input }).then(field('cancelReservation')),
    rescheduleReservation: (input) =>
      execute(RescheduleReservationDocument, { input }).then(field('rescheduleReservation')),
    watchAvailability: (input) =>
      execute(WatchAvailabilityDocument, { input }).then(field('watchAvailability')),
    cancelAvailabilityWatch: (id) =>
      execute(CancelAvailabilityWatchDocument, { id }).then(field('cancelAvailabilityWatch')),
    availabilityWatches: () =>
      execute(AvailabilityWatchesDocument, {}).then(field('availabilityWatches')),
    availabilityEvents: (variables = {}) =>
      execute(AvailabilityEventsDocument, variables).then(field('availabilityEvents')),
    webhookEndpoints: () => execute(WebhookEndpointsDocument, {}).then(field('webhookEndpoints')),
    createWebhookEndpoint: (input) =>
      execute(CreateWebhookEndpointDocument, { input }).then(field('createWebhookEndpoint')),
    updateWebhookEndpoint: (input) =>
      execute(UpdateWebhookEndpointDocument, { input }).then(field('updateWebhookEndpoint')),
    deleteWebhookEndpoint: (id) =>
      execute(DeleteWebhookEndpointDocument, { id }).then(field('deleteWebhookEndpoint')),
    webhookDeliveries: (variables) =>
      execute(WebhookDeliveriesDocument, variables).then(field('webhookDeliveries')),
    redeliverWebhook: (deliveryId) =>
      execute(RedeliverWebhookDocument, { deliveryId }).then(field('redeliverWebhook')),
    replayWebhooks: (input) =>
      execute(ReplayWebhooksDocument, { input }).then(field('replayWebhooks')),
    execute,
  };
}
