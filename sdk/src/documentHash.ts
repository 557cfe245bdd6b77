import type { DocumentNode } from 'graphql';

/**
 * The persisted-document hash of one of the SDK's documents: the sha256 hex of its text in the
 * manifest (`@varden/booking-sdk/persisted-documents.json`), which a gateway that enforces trusted
 * documents runs by. Undefined for a document that is not the SDK's (written by hand, or parsed
 * from text), which such a gateway refuses.
 */
export function documentHash(document: DocumentNode): string | undefined {
  // Codegen embeds the hash as `__meta__.hash`, outside the typed shape of a DocumentNode.
  const hash = (document as { __meta__?: { hash?: unknown } }).__meta__?.hash;
  return typeof hash === 'string' ? hash : undefined;
}
