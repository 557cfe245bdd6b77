import type http from 'node:http';
import type { SimulatorControl } from '@booking/simulator-kit';
import type { SellerStore } from './createSellerStore.js';
import {
  type Answer,
  invalid,
  notFound,
  rateLimited,
  SquareFailure,
  serverError,
  unauthorized,
} from './errors.js';
import { routeSquareApi } from './routeSquareApi.js';

/** The Square-Version answered when a request sends none: the version of standards/square-connect. */
export const squareVersion = '2025-08-20';

const maxBodyBytes = 64 * 1024;
const versionFormat = /^\d{4}-\d{2}-\d{2}$/;

async function readBody(req: http.IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) {
      throw new SquareFailure(413, {
        category: 'INVALID_REQUEST_ERROR',
        code: 'REQUEST_ENTITY_TOO_LARGE',
        detail: 'The request body is too large.',
      });
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    throw invalid('EXPECTED_JSON_BODY', 'The request body is not valid JSON.');
  }
}

export interface SquareApiContext {
  /** The seller of an access token, looked up on every request (a reset replaces the stores). */
  sellerOf(token: string): SellerStore | undefined;
  control: SimulatorControl<Record<never, never>>;
}

/**
 * Answers one `/v2/…` request as Square does: the Square-Version echoed, the bearer token
 * checked, then the control protocol's admission (faults, 429, latency, hangs) for the token's
 * seller, the operation, and the control's last word on the answer (lost, delayed).
 * `undefined`: the control dropped the connection, nothing to send.
 */
export async function answerSquareApi(
  context: SquareApiContext,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  segments: readonly string[],
  query: URLSearchParams,
): Promise<Answer | undefined> {
  const version = req.headers['square-version'];
  const echoed = typeof version === 'string' && version !== '' ? version : squareVersion;
  const headers = { 'square-version': echoed };
  const refusal = (failure: SquareFailure, more: Record<string, string> = {}) => ({
    ...failure.toAnswer(),
    headers: { ...headers, ...more },
  });
  try {
    if (!versionFormat.test(echoed)) {
      throw invalid(
        'INVALID_SQUARE_VERSION_FORMAT',
        `Invalid Square-Version ${echoed}: expected YYYY-MM-DD.`,
      );
    }
    const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
    const seller = token === undefined ? undefined : context.sellerOf(token);
    if (!token || !seller) throw unauthorized();
    const method = req.method ?? 'GET';
    const route = routeSquareApi(method, segments);
    if (!route) throw notFound(`No ${method} /${segments.join('/')} in this API.`);
    let body: unknown;
    let bodyFailure: SquareFailure | undefined;
    if (method === 'POST' || method === 'PUT') {
      body = await readBody(req).catch((error: unknown) => {
        if (error instanceof SquareFailure) bodyFailure = error;
        else throw error;
      });
    }
    const connection = seller.seller.merchantId;
    const admission = await context.control.admit({ connection, access: route.access, res });
    if (admission.kind === 'dropped') return undefined;
    if (admission.kind === 'refuse') {
      if (admission.status !== 429) return refusal(serverError(admission.status));
      return refusal(rateLimited(), { 'retry-after': String(admission.retryAfterSeconds ?? 1) });
    }
    if (bodyFailure) throw bodyFailure;
    // Looked up again after the awaits: a reset in between replaces the stores.
    const store = context.sellerOf(token);
    if (!store) throw unauthorized();
    let answer: Answer;
    try {
      answer = route.operation(store, { query, body, params: route.params });
    } catch (error) {
      if (!(error instanceof SquareFailure)) throw error;
      answer = error.toAnswer();
    }
    const succeeded = answer.status < 300;
    if (
      !(await context.control.beforeAnswer({ connection, access: route.access, res, succeeded }))
    ) {
      return undefined;
    }
    return { ...answer, headers: { ...headers, ...answer.headers } };
  } catch (error) {
    if (error instanceof SquareFailure) return refusal(error);
    throw error;
  }
}
