import type http from 'node:http';
import { buildFault, type SoapFault } from './soapMessages.js';

const maxBodyBytes = 1024 * 1024;

export type Answer = {
  status: number;
  body: string;
  contentType: string;
  headers?: Record<string, string>;
};

export const json = (status: number, body: unknown): Answer => ({
  status,
  body: JSON.stringify(body),
  contentType: 'application/json; charset=utf-8',
});
export const soap = (status: number, body: string): Answer => ({
  status,
  body,
  contentType: 'text/xml; charset=utf-8',
});
/** SOAP 1.1 over HTTP answers every fault with status 500. */
export const fault = (error: SoapFault): Answer => soap(500, buildFault(error));

export function send(res: http.ServerResponse, answer: Answer): void {
  res.writeHead(answer.status, { 'content-type': answer.contentType, ...answer.headers });
  res.end(answer.body);
}

export class BodyTooLarge extends Error {}

export async function readBody(req: http.IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) throw new BodyTooLarge();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
