import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Starts `server` listening; resolves with its base URL (`http://127.0.0.1:4101`, an IPv6
 * address in brackets) and the address it got (port 0 picks a free one).
 */
export async function listenOn(
  server: Server,
  port: number,
  host: string,
): Promise<{ url: string; address: AddressInfo }> {
  server.listen(port, host);
  await once(server, 'listening');
  const address = server.address() as AddressInfo;
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return { url: `http://${shownHost}:${address.port}`, address };
}

/** Stops `server` at once, open connections included; nothing to do when it is not listening. */
export async function closeAtOnce(server: Server): Promise<void> {
  if (!server.listening) return;
  const closed = once(server, 'close');
  server.close();
  server.closeAllConnections();
  await closed;
}
