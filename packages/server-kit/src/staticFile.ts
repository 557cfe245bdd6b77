import { createHash } from 'node:crypto';
import type http from 'node:http';

/** A file served from memory: its bytes, type and a strong ETag of its content. */
export interface StaticFile {
  body: Buffer;
  contentType: string;
  etag: string;
}

export function staticFile(body: Buffer, contentType: string): StaticFile {
  const etag = `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
  return { body, contentType, etag };
}

/**
 * Answers a GET or HEAD with `file`: `304` when the client has this version (`If-None-Match`),
 * else `200` with the body (none for HEAD). `headers` go on both, with the type and the ETag.
 */
export function sendStaticFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  file: StaticFile,
  headers: Record<string, string>,
): void {
  const all = { ...headers, 'content-type': file.contentType, etag: file.etag };
  if (req.headers['if-none-match'] === file.etag) {
    res.writeHead(304, all);
    res.end();
    return;
  }
  res.writeHead(200, { ...all, 'content-length': file.body.length });
  res.end(req.method === 'HEAD' ? undefined : file.body);
}
