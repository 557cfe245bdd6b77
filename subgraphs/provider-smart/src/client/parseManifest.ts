import { ProviderError, ProviderErrorCode, parseVendorValue } from '@booking/provider-kit';
import { type Manifest, manifestSchema } from './schemas.js';

/** A `$bulk-publish` manifest's text as the spec's manifest, or a `BAD_RESPONSE` saying why not. */
export function parseManifest(text: string): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (cause) {
    throw new ProviderError(ProviderErrorCode.BadResponse, 'manifest is not JSON', { cause });
  }
  return parseVendorValue(manifestSchema, json, 'manifest not understood');
}
