import type { IncomingMessage } from 'node:http';

/**
 * The address a request came from, for limits counted per address. Behind `trustedProxies`
 * proxies (a load balancer: 1) the socket's address is the nearest proxy's, so the client's is
 * the entry that many from the right in `X-Forwarded-For`: each proxy appends the address it
 * received the request from, and anything further left was written by the client and proves
 * nothing. With no proxies trusted the header is ignored.
 */
export function clientAddress(req: IncomingMessage, trustedProxies: number): string {
  const socket = req.socket.remoteAddress ?? 'unknown';
  if (trustedProxies === 0) return socket;
  const header = req.headers['x-forwarded-for'];
  const entries = (Array.isArray(header) ? header.join(',') : (header ?? ''))
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean);
  // Fewer entries than proxies: the request did not pass through all of them.
  return entries.length >= trustedProxies ? entries[entries.length - trustedProxies]! : socket;
}
