/** A gateway's answer: status, headers and the body, parsed when it is JSON. */
export interface Answer {
  status: number;
  headers: Headers;
  text: string;
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  body: any;
}

/** Sends `init` to `url` and reads the whole answer. */
export async function request(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, { signal: AbortSignal.timeout(15_000), ...init });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {}
  return { status: response.status, headers: response.headers, text, body };
}

/** POSTs `body` (JSON-encoded unless a string) to `${base}/graphql`. */
export function post(base: string, body: unknown, headers: Record<string, string> = {}) {
  return request(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

/** The first error's code, or `ok` when there is data and no error. */
export const outcome = (answer: Answer) =>
  answer.body?.errors?.[0]?.extensions?.code ?? (answer.body?.data ? 'ok' : 'no code');
