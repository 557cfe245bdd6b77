import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from '@booking/server-kit';

/** A push as a connection's `receivePush` gets it: the raw body, so signatures can be checked. */
export interface PushRequest {
  readonly headers: IncomingHttpHeaders;
  /** The body exactly as received (signatures are over these bytes). */
  readonly body: Buffer;
  /** When the push arrived, epoch ms. */
  readonly receivedAt: number;
}

/** The answer to the pushing system: 2xx accepts, anything else asks for (or refuses) redelivery. */
export interface PushAnswer {
  readonly status: number;
  /** Why, for a refusal: codes and prose, never the push's content. */
  readonly message?: string;
}

/** Where pushes for a connection arrive: `POST /push/<connection id>`. */
export const pushPath = (connectionId: string) => `/push/${encodeURIComponent(connectionId)}`;

const maxPushBytes = 256 * 1024;

/**
 * The HTTP route of pushes: finds the connection, reads the body (at most 256 KiB) and hands it
 * to `receive`. Answers `true` when the request was a push (handled, whatever the answer).
 */
export function pushRoute(
  receive: (connectionId: string, push: PushRequest) => Promise<PushAnswer | null>,
  logger: Logger,
): (req: IncomingMessage, res: ServerResponse) => Promise<boolean> {
  return async (req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (!path.startsWith('/push/')) return false;
    const answer = (status: number, message: string) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ status, message }));
    };
    if (req.method !== 'POST') {
      answer(405, 'pushes are POSTed');
      return true;
    }
    const connectionId = decodeURIComponent(path.slice('/push/'.length));
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > maxPushBytes) {
        answer(413, 'push too large');
        return true;
      }
      chunks.push(chunk as Buffer);
    }
    const push = { headers: req.headers, body: Buffer.concat(chunks), receivedAt: Date.now() };
    const outcome = await receive(connectionId, push);
    if (!outcome) {
      answer(404, 'no connection takes pushes here');
      return true;
    }
    if (outcome.status >= 300) {
      logger.warn(
        { connection: connectionId, status: outcome.status, reason: outcome.message },
        'push refused',
      );
    }
    answer(outcome.status, outcome.message ?? 'accepted');
    return true;
  };
}
