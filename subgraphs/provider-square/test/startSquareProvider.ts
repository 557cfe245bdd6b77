import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createProviderService } from '@booking/provider-kit';
import { createLogger } from '@booking/server-kit';
import { createSquareSimulator } from '@booking/simulator-square';
import { simulatorConnections, squareProvider } from '../src/provider.js';

/** Wednesday 2026-03-25 09:00 in Stockholm: the simulator's business time in these tests. */
export const testNow = new Date('2026-03-25T08:00:00Z');

export interface SeenRequest {
  method: string;
  path: string;
  body: string;
}
/** What the proxy does with a request: forward it, answer it itself, or forward and lose the answer. */
export type ProxyAction =
  | { answer: { status: number; headers?: Record<string, string>; body: unknown } }
  | 'lose-answer'
  | undefined;

/**
 * Square's simulator behind a recording proxy (the network between the provider and Square, where
 * answers get lost and errors can be injected) and the provider subgraph on it, in process.
 */
export async function startSquareProvider(
  options: {
    onRequest?: (request: SeenRequest) => Promise<ProxyAction> | ProxyAction;
    reservationsDir?: string;
  } = {},
) {
  const simulator = createSquareSimulator({
    clock: () => testNow,
    rateLimitPerSecond: 10_000,
    bookedShare: 0,
  });
  const target = await simulator.listen(0);
  const seen: SeenRequest[] = [];
  const proxy = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      body: Buffer.concat(chunks).toString(),
    };
    seen.push(request);
    const action = await options.onRequest?.(request);
    if (action && action !== 'lose-answer') {
      res.writeHead(action.answer.status, {
        'content-type': 'application/json',
        ...action.answer.headers,
      });
      res.end(JSON.stringify(action.answer.body));
      return;
    }
    const headers = Object.fromEntries(
      ['authorization', 'square-version', 'content-type'].flatMap((h) =>
        req.headers[h] ? [[h, String(req.headers[h])]] : [],
      ),
    );
    const answer = await fetch(`${target}${request.path}`, {
      method: request.method,
      headers,
      ...(request.body && { body: request.body }),
    });
    const text = await answer.text();
    if (action === 'lose-answer') {
      req.socket.destroy();
      return;
    }
    res.writeHead(answer.status, { 'content-type': 'application/json' });
    res.end(text);
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  const proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;

  const logs: string[] = [];
  const reservationsDir = options.reservationsDir ?? mkdtempSync(join(tmpdir(), 'square-index-'));
  const connections = simulatorConnections(proxyUrl);
  const startSubgraph = async () => {
    const destination = new Writable({
      write(chunk, _encoding, done) {
        logs.push(String(chunk));
        done();
      },
    });
    const service = createProviderService(
      squareProvider,
      {
        connections,
        providerDeadlineMs: 5000,
        reservations: { directory: reservationsDir },
      },
      createLogger({ service: 'test', level: 'debug', destination }),
    );
    return { service, url: `${await service.listen(0)}/graphql` };
  };
  let subgraph = await startSubgraph();

  return {
    simulator,
    target,
    seen,
    logs,
    reservationsDir,
    connectionId: 'square-sodermalm',
    entry: connections[0]!,
    // biome-ignore lint/suspicious/noExplicitAny: tests read whatever JSON the subgraph sent.
    async graphql<T = Record<string, any>>(query: string, variables: Record<string, unknown> = {}) {
      const response = await fetch(subgraph.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as {
        data?: T;
        errors?: { message: string; extensions?: Record<string, unknown> }[];
      };
    },
    /** A new subgraph process on the same reservation index: a restart. */
    async restart() {
      await subgraph.service.close();
      subgraph = await startSubgraph();
    },
    async stop() {
      await subgraph.service.close();
      await new Promise((resolve) => proxy.close(resolve));
      await simulator.close();
    },
  };
}
