import type http from 'node:http';
import { badRequest } from '@medplum/core';
import type { HttpMethod } from '@medplum/fhir-router';
import type { OperationOutcome, OperationOutcomeIssue } from '@medplum/fhirtypes';
import type { FhirAnswer } from './answerFhirRequest.js';

const maxBodyBytes = 256 * 1024;
export const fhirJson = 'application/fhir+json; charset=utf-8';

export function outcome(
  severity: OperationOutcomeIssue['severity'],
  code: OperationOutcomeIssue['code'],
  text: string,
): OperationOutcome {
  return { resourceType: 'OperationOutcome', issue: [{ severity, code, details: { text } }] };
}

export function send(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(JSON.stringify(body));
}

export function sendFhir(res: http.ServerResponse, answer: FhirAnswer) {
  send(res, answer.status, answer.body, answer.headers);
}

export function outcomeAnswer(status: number, body: OperationOutcome, headers = {}): FhirAnswer {
  return { status, body, headers: { 'content-type': fhirJson, ...headers } };
}

async function readBody(req: http.IncomingMessage): Promise<string | OperationOutcome> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBodyBytes) return outcome('error', 'too-costly', 'Request body over 256 KiB');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export async function parseFhirBody(
  req: http.IncomingMessage,
  method: HttpMethod,
): Promise<{ ok: true; body: unknown } | { ok: false; answer: FhirAnswer }> {
  if (method !== 'POST' && method !== 'PUT' && method !== 'PATCH')
    return { ok: true, body: undefined };
  const contentType = req.headers['content-type'] ?? '';
  if (!/application\/(fhir\+)?json|application\/json-patch\+json/.test(contentType)) {
    return {
      ok: false,
      answer: outcomeAnswer(
        415,
        outcome('error', 'not-supported', 'Content-Type must be application/fhir+json'),
      ),
    };
  }
  const text = await readBody(req);
  if (typeof text !== 'string') return { ok: false, answer: outcomeAnswer(413, text) };
  try {
    return { ok: true, body: JSON.parse(text) };
  } catch {
    return { ok: false, answer: outcomeAnswer(400, badRequest('Body is not valid JSON')) };
  }
}
