import { Webhook } from 'standardwebhooks';
import { type Dispatcher, request } from 'undici';

/** One signed POST to an endpoint, as the Standard Webhooks specification has it. */
export interface WebhookMessage {
  url: string;
  /** The endpoint's secret, `whsec_` and base64. */
  secret: string;
  /** `webhook-id`: the same for every attempt and replay of one event. */
  id: string;
  timestamp: Date;
  /** The JSON body, exactly as signed. */
  body: string;
}

/** How an endpoint answered: a 2xx is delivered; anything else, or no answer, is tried again. */
export type SendOutcome =
  | { delivered: true; status: number }
  | { delivered: false; status: number | null; error: string };

/**
 * Signs a message (`webhook-id`, `webhook-timestamp`, `webhook-signature`: HMAC-SHA256 of
 * `id.timestamp.body` with the endpoint's secret, by the maintained `standardwebhooks` package) and
 * POSTs it. Redirects are not followed (an endpoint answers where it is registered), the answer is
 * read to at most 4 KiB and discarded, and an endpoint gets `timeoutMs` to answer.
 */
export async function sendWebhook(
  message: WebhookMessage,
  options: { timeoutMs: number; dispatcher?: Dispatcher | undefined },
): Promise<SendOutcome> {
  const { timeoutMs, dispatcher } = options;
  const signature = new Webhook(message.secret).sign(message.id, message.timestamp, message.body);
  try {
    const response = await request(message.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'varden-booking-webhooks/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: message.body,
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
      signal: AbortSignal.timeout(timeoutMs),
      ...(dispatcher && { dispatcher }),
    });
    await response.body.dump({ limit: 4096 }).catch(() => undefined);
    const { statusCode: status } = response;
    return status >= 200 && status < 300
      ? { delivered: true, status }
      : { delivered: false, status, error: `answered ${status}` };
  } catch (error) {
    // A category, never the error's text: it is shown to the endpoint's owner, and a TLS or
    // resolver message would describe hosts they have no business learning about.
    const name = (error as Error).name;
    const code = (error as { code?: string }).code;
    const reason =
      name === 'TimeoutError' || name === 'AbortError' || name.includes('Timeout')
        ? `no answer within ${timeoutMs} ms`
        : code === 'EADDRNOTPUBLIC'
          ? 'refused: the URL does not resolve to a public address'
          : code && /^E[A-Z]+$/.test(code)
            ? `connection failed (${code})`
            : 'connection failed';
    return { delivered: false, status: null, error: reason };
  }
}
