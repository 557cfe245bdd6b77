import type http from 'node:http';
import type { z } from 'zod';

export type Answer = { status: number; body?: unknown; headers?: Record<string, string> };

const maxBodyBytes = 64 * 1024;
/** What a request whose connection the control protocol dropped is answered: nothing. */
export const dropped: Answer = { status: 0 };

export function send(res: http.ServerResponse, answer: Answer): void {
  if (answer.status === 304 || answer.body === undefined) {
    res.writeHead(answer.status, answer.headers);
    res.end();
    return;
  }
  const text = typeof answer.body === 'string' ? answer.body : JSON.stringify(answer.body);
  res.writeHead(answer.status, {
    'content-type':
      typeof answer.body === 'string'
        ? 'text/plain; charset=utf-8'
        : 'application/json; charset=utf-8',
    ...answer.headers,
  });
  res.end(text);
}

export const error = (status: number, code: string, message: string): Answer => ({
  status,
  body: { error: code, message },
});

export async function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function readJson(
  req: http.IncomingMessage,
): Promise<{ ok: true; value: unknown } | Answer> {
  const text = await readBody(req);
  if (text === undefined) return error(413, 'payload_too_large', 'Body over 64 KiB.');
  if (text.trim() === '') return { ok: true, value: undefined };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return error(400, 'invalid_request', 'Body is not valid JSON.');
  }
}

export function problemsOf(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; ');
}

/** A body sent as is with its own content type (NDJSON, manifest JSON, HTML). */
export class RawBody {
  constructor(
    readonly text: string,
    readonly contentType: string,
  ) {}
}

export function sendAnswer(res: http.ServerResponse, answer: Answer): void {
  if (answer.body instanceof RawBody) {
    res.writeHead(answer.status, { 'content-type': answer.body.contentType, ...answer.headers });
    res.end(answer.body.text);
    return;
  }
  send(res, answer);
}
