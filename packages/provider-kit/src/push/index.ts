// Building blocks of a vendor's webhooks (signatures, envelopes, ordering, slot changes), beside
// the kit's push route (`changes/receivePush.ts`).
export { createVersionMemory, type VersionMemory } from './createVersionMemory.js';
export {
  readWebhookEvent,
  type WebhookEvent,
  type WebhookEventOptions,
} from './readWebhookEvent.js';
export { type BookingEvent, type BookingState, toBookingChanges } from './toBookingChanges.js';
export { type HmacSignatureCheck, verifyHmacSignature } from './verifyHmacSignature.js';
