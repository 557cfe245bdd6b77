import type http from 'node:http';
import cors from 'cors';

/** Request headers a web page may send: the API's own, and W3C trace context to join its traces. */
const allowedHeaders = [
  'authorization',
  'content-type',
  'apollographql-client-name',
  'apollographql-client-version',
  'apollo-require-preflight',
  'x-apollo-operation-name',
  'traceparent',
  'tracestate',
  'baggage',
];

/** Response headers a page may read: when to retry, and which trace answered it. */
const exposedHeaders = ['retry-after', 'traceresponse'];

/**
 * Cross-origin access for web pages on the origins listed (`CORS_ORIGINS`), by the `cors` package.
 * It runs before anything else, so a preflight (`OPTIONS`) is answered here and never reaches
 * Apollo's CSRF check, which would refuse it; a listed origin's requests get
 * `Access-Control-Allow-Origin` with credentials allowed, any other origin gets no
 * `Access-Control-Allow-Origin`, so the browser keeps the answer from the page. Returns `true` when it answered the
 * request (a preflight), `false` to let the request go on. With no origins: `undefined`.
 */
export function createCors(
  origins: readonly string[],
): ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined {
  if (origins.length === 0) return undefined;
  const middleware = cors({
    origin: [...origins],
    methods: ['GET', 'POST', 'OPTIONS'],
    allowedHeaders,
    exposedHeaders,
    credentials: true,
    // Browsers cap this (Chromium: 2 hours); a day lets each use its own cap.
    maxAge: 86_400,
  });
  return (req, res) => {
    // With a fixed list the middleware decides at once: `next` for everything but a preflight.
    let goOn = false;
    middleware(req, res, () => {
      goOn = true;
    });
    return !goOn;
  };
}
