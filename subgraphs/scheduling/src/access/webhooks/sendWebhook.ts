import { Webhook } from 'standardwebhooks';
import { request } from 'undici';

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
  timeoutMs: number,
): Promise<SendOutcome> {
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
    });
    await response.body.dump({ limit: 4096 }).catch(() => undefined);
    const { statusCode: status } = response;
    return status >= 200 && status < 300
      ? { delivered: true, status }
      : { delivered: false, status, error: `answered ${status}` };
  } catch (error) {
    const name = (error as Error).name;
    const reason =
      name === 'TimeoutError' || name === 'AbortError' || name.includes('Timeout')
        ? `no answer within ${timeoutMs} ms`
        : ((error as { code?: string }).code ?? (error as Error).message);
    return { delivered: false, status: null, error: reason };
  }
}
