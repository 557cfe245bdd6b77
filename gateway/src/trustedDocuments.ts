import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import type { ApolloServerPlugin, BaseContext, PersistedQueryOptions } from '@apollo/server';
import { trustedDocumentRequired } from './errors.js';

/**
 * How the gateway treats operations that are not in the SDK's persisted-documents manifest:
 * - `off`: every operation is sent as text; hashes are not accepted;
 * - `allow-listed-or-hash`: clients may send a manifest hash instead of the text; any text is
 *   still accepted (the development default);
 * - `enforced`: only manifest operations run, by hash or by their exact text (the production
 *   default); anything else is refused with `TRUSTED_DOCUMENT_REQUIRED`.
 */
export type TrustedDocumentsMode = 'off' | 'allow-listed-or-hash' | 'enforced';
export const trustedDocumentsModes = ['off', 'allow-listed-or-hash', 'enforced'] as const;

/** The manifest: sha256 hex of an operation document → the document. */
export type TrustedDocumentsManifest = ReadonlyMap<string, string>;

/** Reads a persisted-documents manifest (`{ "<sha256>": "<document>" }`), checking every hash. */
export function loadTrustedDocuments(path: string): TrustedDocumentsManifest {
  if (!existsSync(path)) return new Map();
  const entries = Object.entries(JSON.parse(readFileSync(path, 'utf8')) as Record<string, string>);
  for (const [hash, document] of entries) {
    const actual = createHash('sha256').update(document).digest('hex');
    if (actual !== hash) throw new Error(`${path}: the entry ${hash} does not hash to its key`);
  }
  return new Map(entries);
}

/**
 * The manifest as Apollo's persisted-query cache, read-only: a client's hash is looked up in it,
 * and nothing a client sends is ever added (automatic registration would defeat the allow-list).
 */
function manifestCache(
  manifest: TrustedDocumentsManifest,
): PersistedQueryOptions['cache'] & object {
  return {
    // Apollo prefixes keys with `apq:`.
    get: async (key) => manifest.get(key.slice(key.indexOf(':') + 1)),
    set: async () => {},
    delete: async () => {},
  };
}

/** Refuses, in `enforced` mode, every operation whose document is not in the manifest. */
function enforceManifestPlugin(
  manifest: TrustedDocumentsManifest,
): ApolloServerPlugin<BaseContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ queryHash }) {
          if (manifest.has(queryHash)) return;
          throw trustedDocumentRequired();
        },
      };
    },
  };
}

/** The Apollo Server options that implement `mode` over `manifest`. */
export function trustedDocumentsOptions(
  mode: TrustedDocumentsMode,
  manifest: TrustedDocumentsManifest,
): { persistedQueries: false | PersistedQueryOptions; plugins: ApolloServerPlugin<BaseContext>[] } {
  if (mode === 'off') return { persistedQueries: false, plugins: [] };
  return {
    persistedQueries: { cache: manifestCache(manifest), ttl: null },
    plugins: mode === 'enforced' ? [enforceManifestPlugin(manifest)] : [],
  };
}
