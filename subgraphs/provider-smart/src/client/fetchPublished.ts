import { ProviderError, ProviderErrorCode } from '@booking/provider-kit';
import { type Dispatcher, request } from 'undici';

/** One GET of a manifest or NDJSON file. */
export interface PublishedRequest {
  readonly url: URL;
  /** The ETag of the copy we hold: sent as `If-None-Match`. */
  readonly etag?: string | undefined;
  readonly dispatcher: Dispatcher;
  readonly signal: AbortSignal;
  /** Largest body accepted, in bytes; a larger one fails as a bad response. */
  readonly maxBytes: number;
  /** `application/json` for manifests, `application/fhir+ndjson` for files (the spec's types). */
  readonly accept: string;
}

export type PublishedResponse =
  | { readonly notModified: true; readonly maxAgeSeconds: number | undefined }
  | {
      readonly notModified: false;
      readonly body: string;
      readonly etag: string | undefined;
      readonly maxAgeSeconds: number | undefined;
    };

/** A URL as it may be logged: origin and path, never the query (which may carry a token). */
export function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

/**
 * `Cache-Control: max-age` in seconds (RFC 9111 §5.2.2.1). `no-cache` and `no-store` mean "ask
 * again at the earliest", i.e. 0; absent or unreadable is `undefined`.
 */
export function parseMaxAge(header: string | string[] | undefined): number | undefined {
  const text = Array.isArray(header) ? header.join(',') : header;
  if (!text) return undefined;
  const directives = text.split(',').map((d) => d.trim().toLowerCase());
  if (directives.some((d) => d === 'no-cache' || d === 'no-store')) return 0;
  for (const directive of directives) {
    const match = /^max-age\s*=\s*"?(\d+)"?$/.exec(directive);
    if (match) return Number(match[1]);
  }
  return undefined;
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

async function readText(body: Dispatcher.ResponseData['body'], maxBytes: number, what: string) {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      body.destroy();
      throw new ProviderError(
        ProviderErrorCode.BadResponse,
        `${what}: larger than ${maxBytes} bytes`,
      );
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Fetches a published manifest or file, conditionally when we hold a copy. `304` means our copy
 * is current. Anything but 200/304 and any network failure is a `ProviderError`
 * (PROVIDER_UNAVAILABLE; the publisher did nothing, publications are read-only); an abort passes
 * through untouched.
 */
export async function fetchPublished(call: PublishedRequest): Promise<PublishedResponse> {
  const what = `GET ${describeUrl(call.url)}`;
  let response: Dispatcher.ResponseData;
  try {
    response = await request(call.url, {
      dispatcher: call.dispatcher,
      method: 'GET',
      signal: call.signal,
      headers: {
        accept: call.accept,
        ...(call.etag !== undefined && { 'if-none-match': call.etag }),
      },
    });
  } catch (error) {
    if (call.signal.aborted) throw error;
    const code = (error as { code?: string }).code || 'network error';
    throw new ProviderError(ProviderErrorCode.Unavailable, `${what}: unreachable (${code})`, {
      cause: error,
    });
  }
  const { statusCode: status, headers, body } = response;
  const maxAgeSeconds = parseMaxAge(headers['cache-control']);
  if (status === 304) {
    await body.dump();
    return { notModified: true, maxAgeSeconds };
  }
  if (status !== 200) {
    await body.dump();
    throw new ProviderError(ProviderErrorCode.Unavailable, `${what}: answered ${status}`, {
      status,
    });
  }
  let text: string;
  try {
    text = await readText(body, call.maxBytes, what);
  } catch (error) {
    if (error instanceof ProviderError || call.signal.aborted) throw error;
    throw new ProviderError(ProviderErrorCode.Unavailable, `${what}: connection lost`, {
      cause: error,
    });
  }
  return { notModified: false, body: text, etag: firstHeader(headers.etag), maxAgeSeconds };
}
