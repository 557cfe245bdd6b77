import { createHash, timingSafeEqual } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ApolloServer, type BaseContext, HeaderMap } from '@apollo/server';
import { formatTraceparent } from '@booking/telemetry';
import { trace } from '@opentelemetry/api';
import type { Logger } from 'pino';
import { operationMetricsPlugin } from './operationMetricsPlugin.js';

/** Result of a readiness probe: `ok` plus one entry per dependency checked. */
export interface Readiness {
  ok: boolean;
  checks: Record<string, { ok: boolean; message?: string }>;
}

export interface HttpServiceOptions<TContext extends BaseContext> {
  /** Service name, used in logs. */
  name: string;
  logger: Logger;
  /** GraphQL server mounted at `/graphql` (and `/`). Omit for a service without GraphQL. */
  graphql?: {
    server: ApolloServer<TContext>;
    context: (req: http.IncomingMessage) => Promise<TContext>;
  };
  /** Extra routes, tried before GraphQL; return `true` when the request was handled. */
  routes?: (req: http.IncomingMessage, res: http.ServerResponse) => Promise<boolean> | boolean;
  /** Readiness probe behind `/health/ready`. Default: always ready. */
  readiness?: () => Promise<Readiness>;
  /** Largest accepted request body in bytes. Default: 1 MiB. */
  maxBodyBytes?: number;
  /** How long shutdown waits for in-flight requests before closing sockets. Default: 10 s. */
  drainTimeoutMs?: number;
  /**
   * When set, GraphQL answers only requests that carry it in `x-internal-secret` (calls from the
   * gateway and scheduling); anything else gets `401 UNAUTHENTICATED`. Health stays open.
   * Default: none (the gateway, whose callers authenticate otherwise).
   */
  internalSecret?: string;
}

/** Header that carries the internal secret on calls between the platform's own services. */
export const internalSecretHeader = 'x-internal-secret';

export interface HttpService {
  /** Starts listening; resolves with the base URL (`http://host:port`). */
  listen(port: number, host?: string): Promise<string>;
  /** Stops accepting connections, drains in-flight requests, then stops GraphQL. */
  close(): Promise<void>;
  readonly url: string;
  readonly httpServer: http.Server;
}

/** The `extensions.code` of the answers the service gives before GraphQL runs, by status. */
const httpErrorCodes: Record<number, string> = {
  400: 'BAD_REQUEST',
  404: 'NOT_FOUND',
  413: 'PAYLOAD_TOO_LARGE',
  500: 'INTERNAL_SERVER_ERROR',
};

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: http.IncomingMessage, maxBytes: number): Promise<string> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) throw new HttpError(413, 'request body too large');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) throw new HttpError(413, 'request body too large');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(text);
}

/**
 * The HTTP shell every service runs in: GraphQL over plain `node:http` (no framework in the hot
 * path), `/health/live` and `/health/ready`, a body-size limit, and graceful shutdown.
 */
export function createHttpService<TContext extends BaseContext>(
  options: HttpServiceOptions<TContext>,
): HttpService {
  const { logger, graphql } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const drainTimeoutMs = options.drainTimeoutMs ?? 10_000;
  let inFlight = 0;
  let closing = false;
  let url = '';
  let graphqlStarted = false;
  graphql?.server.addPlugin(operationMetricsPlugin());

  const expectedSecret = options.internalSecret
    ? createHash('sha256').update(options.internalSecret).digest()
    : null;
  /** Compares digests in constant time, so the secret cannot be guessed byte by byte. */
  function fromInsideThePlatform(req: http.IncomingMessage): boolean {
    if (!expectedSecret) return true;
    const given = req.headers[internalSecretHeader];
    if (typeof given !== 'string') return false;
    return timingSafeEqual(createHash('sha256').update(given).digest(), expectedSecret);
  }

  async function handleGraphQL(req: http.IncomingMessage, res: http.ServerResponse) {
    if (!graphql) throw new HttpError(404, 'not found');
    if (!fromInsideThePlatform(req)) {
      sendJson(res, 401, {
        errors: [
          {
            message: 'this service answers only the platform’s own gateway and scheduling',
            extensions: { code: 'UNAUTHENTICATED' },
          },
        ],
      });
      return;
    }
    const headers = new HeaderMap();
    for (const [key, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
    }
    const method = (req.method ?? 'GET').toUpperCase();
    let body: unknown;
    if (method === 'POST') {
      const text = await readBody(req, maxBodyBytes);
      const contentType = headers.get('content-type') ?? '';
      if (contentType.includes('json') && text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          throw new HttpError(400, 'request body is not valid JSON');
        }
      } else {
        body = text;
      }
    }
    const search = req.url?.includes('?') ? req.url.slice(req.url.indexOf('?')) : '';
    const response = await graphql.server.executeHTTPGraphQLRequest({
      httpGraphQLRequest: { method, headers, search, body },
      context: () => graphql.context(req),
    });
    for (const [key, value] of response.headers) res.setHeader(key, value);
    res.statusCode = response.status ?? 200;
    if (response.body.kind === 'complete') {
      res.end(response.body.string);
      return;
    }
    for await (const chunk of response.body.asyncIterator) res.write(chunk);
    res.end();
  }

  async function handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/health/live') {
      sendJson(res, closing ? 503 : 200, { ok: !closing });
      return;
    }
    if (path === '/health/ready') {
      const readiness = closing
        ? { ok: false, checks: { shutdown: { ok: false, message: 'shutting down' } } }
        : ((await options.readiness?.()) ?? { ok: true, checks: {} });
      sendJson(res, readiness.ok ? 200 : 503, readiness);
      return;
    }
    if (options.routes && (await options.routes(req, res))) return;
    if (path === '/graphql' || path === '/') {
      await handleGraphQL(req, res);
      return;
    }
    throw new HttpError(404, 'not found');
  }

  const httpServer = http.createServer((req, res) => {
    inFlight += 1;
    const started = performance.now();
    res.on('close', () => {
      inFlight -= 1;
      // Method, path and status only: bodies and query strings may carry patient data.
      logger.debug(
        {
          method: req.method,
          path: req.url?.split('?')[0],
          status: res.statusCode,
          ms: Math.round(performance.now() - started),
        },
        'request',
      );
    });
    if (closing) res.setHeader('connection', 'close');
    // Which trace answered (W3C Trace Context's `traceresponse`), so a caller can quote it.
    const answeredBy = formatTraceparent(trace.getActiveSpan()?.spanContext());
    if (answeredBy) res.setHeader('traceresponse', answeredBy);
    handle(req, res).catch((error: unknown) => {
      const status = error instanceof HttpError ? error.status : 500;
      if (status >= 500) logger.error({ err: error, path: req.url }, 'request failed');
      if (!res.headersSent) {
        sendJson(res, status, {
          errors: [
            {
              message: status >= 500 ? 'internal server error' : (error as Error).message,
              extensions: { code: httpErrorCodes[status] ?? httpErrorCodes[500] },
            },
          ],
        });
      } else {
        res.destroy();
      }
    });
  });
  // Keep-alive longer than the callers' pools so they never reuse a socket we are closing.
  httpServer.keepAliveTimeout = 65_000;
  httpServer.headersTimeout = 66_000;

  return {
    get url() {
      return url;
    },
    httpServer,
    async listen(port, host = '127.0.0.1') {
      await graphql?.server.start();
      graphqlStarted = true;
      httpServer.listen(port, host);
      await once(httpServer, 'listening');
      const address = httpServer.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      url = `http://${shownHost}:${address.port}`;
      logger.info({ url }, `${options.name} listening`);
      return url;
    },
    async close() {
      if (closing) return;
      closing = true;
      httpServer.close();
      httpServer.closeIdleConnections();
      const deadline = Date.now() + drainTimeoutMs;
      while (inFlight > 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      httpServer.closeAllConnections();
      // A service used in process (never listened) has no GraphQL server running to stop.
      if (graphqlStarted) await graphql?.server.stop();
      logger.info({ drained: inFlight === 0 }, `${options.name} stopped`);
    },
  };
}
