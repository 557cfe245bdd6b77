import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createProviderService, type ProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSquareSimulator, seededSellers } from '@booking/simulator-square';
import {
  type SquareConnection,
  simulatorConnections,
  squareProvider,
  squareSettings,
} from '../src/provider.js';

/** Wednesday 2026-03-25 09:00 in Stockholm: business time of the simulator and the subgraph. */
export const pushNow = new Date('2026-03-25T08:00:00Z');

/** A push as it passed the public entry: what Square sent, byte for byte. */
export interface SeenPush {
  path: string;
  headers: Record<string, string>;
  body: string;
  /** What the subgraph answered; null when it could not be reached. */
  status: number | null;
}

/**
 * Square's simulator and the provider subgraph with pushes on, in process. The subgraph's public
 * base URL (`pushBaseUrl`, `SQUARE_PUSH_BASE_URL` in a deployment) is a small entry proxy, as a load balancer would be: it
 * records every push, can refuse the next ones (`refuseNext`) and forwards the rest to the
 * subgraph, which can be stopped and started again behind it on the same reservation index.
 */
export async function startPushedSquare(
  options: { attempts?: number; retryDelayMs?: number } = {},
) {
  let nowMs = pushNow.getTime();
  const clock = {
    now: () => nowMs,
    set: (iso: string) => {
      nowMs = Date.parse(iso);
    },
  };
  const simulator = createSquareSimulator({
    clock: () => new Date(nowMs),
    rateLimitPerSecond: 10_000,
    bookedShare: 0,
    webhooks: {
      attempts: options.attempts ?? 5,
      retryDelayMs: options.retryDelayMs ?? 50,
      timeoutMs: 2000,
    },
  });
  const squareUrl = await simulator.listen(0);

  const pushes: SeenPush[] = [];
  let refusals = 0;
  let subgraphUrl = '';
  const entry = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    // What Square sends of its own (the transport's headers are the proxy's business).
    const headers = Object.fromEntries(
      Object.entries(req.headers).flatMap(([k, v]) =>
        typeof v === 'string' && /^(x-square-|square-|content-type$|user-agent$)/.test(k)
          ? [[k, v]]
          : [],
      ),
    );
    const seen: SeenPush = {
      path: req.url ?? '/',
      headers,
      body: Buffer.concat(chunks).toString(),
      status: null,
    };
    pushes.push(seen);
    if (refusals > 0) {
      refusals -= 1;
      seen.status = 503;
      res.writeHead(503).end();
      return;
    }
    try {
      const answer = await fetch(`${subgraphUrl}${seen.path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: seen.body,
      });
      seen.status = answer.status;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(await answer.text());
    } catch {
      // The subgraph is down: the connection fails as it would without the proxy.
      req.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => entry.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(entry.address() as AddressInfo).port}`;

  const connections = simulatorConnections(squareUrl);
  const reservations = { directory: mkdtempSync(join(tmpdir(), 'square-push-')) };
  // A short freshness window, so the tests can step the clock across it.
  const settings = squareSettings.parse({ SQUARE_PUSH_MAX_AGE_MS: '300000' });
  let subgraph: ProviderService<SquareConnection> | null = null;
  async function startSubgraph() {
    const service = createProviderService(
      squareProvider,
      { connections, providerDeadlineMs: 5000, settings, pushBaseUrl: baseUrl, reservations },
      createLogger({ service: 'test', level: 'silent' }),
      { now: clock.now },
    );
    subgraphUrl = await service.listen(0);
    subgraph = service;
    await Promise.all(service.connections.map((c) => c.webhooks?.subscription.succeeded()));
  }
  await startSubgraph();

  const connectionId = 'square-sodermalm';
  const merchantId = seededSellers[0]!.merchantId;
  const graphql = async <T>(query: string, variables: Record<string, unknown> = {}) => {
    const response = await fetch(`${subgraphUrl}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await response.json()) as { data?: T; errors?: { message: string }[] };
  };

  return {
    simulator,
    squareUrl,
    baseUrl,
    clock,
    pushes,
    connectionId,
    merchantId,
    notificationUrl: `${baseUrl}/push/${connectionId}`,
    graphql,
    /** The next `count` pushes are answered 503 by the entry, never reaching the subgraph. */
    refuseNext(count: number) {
      refusals = count;
    },
    /** The subscription's signature key, as Square shows it to the seller. */
    signatureKey: () => simulator.webhooks.subscriptions(merchantId)[0]!.signature_key,
    /** Posts a push to the public entry as anyone could. */
    async post(body: string, headers: Record<string, string>) {
      const res = await fetch(`${baseUrl}/push/${connectionId}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body,
      });
      return { status: res.status, body: (await res.json()) as { message?: string } };
    },
    async stopSubgraph() {
      await subgraph?.close();
      subgraph = null;
    },
    startSubgraph,
    async stop() {
      await subgraph?.close();
      await simulator.close();
      entry.closeAllConnections();
      await new Promise((resolve) => entry.close(resolve));
    },
  };
}

export type PushedSquare = Awaited<ReturnType<typeof startPushedSquare>>;
