// Building blocks of a vendor's webhooks (signatures, envelopes, ordering), beside the kit's push
// route (`changes/receivePush.ts`).
export {};
