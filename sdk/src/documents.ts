/**
 * The SDK's operations as `TypedDocumentNode`s, with their result and variable types, for any
 * TypedDocumentNode client (Apollo Client, urql, graphql-request, …). Each document carries its
 * persisted-document hash in `__meta__.hash` (sha256 hex of its normalized text, the key of
 * `@varden/booking-sdk/persisted-documents.json`).
 */
export * from './__generated__/graphql.js';
