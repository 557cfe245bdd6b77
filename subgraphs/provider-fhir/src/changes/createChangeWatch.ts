import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { ConnectContext, PushAnswer, PushRequest } from '@booking/provider-kit';
import type { FhirClient } from '../client/createFhirClient.js';
import { notificationSchema } from '../client/schemas.js';
import type { FhirCatalogueCache } from '../loadFhirCatalogue.js';
import { reservationSystem } from '../mapping.js';
import type { FhirSettings } from '../provider.js';
import { createChangeRecorder } from './createChangeRecorder.js';
import { ensureSubscriptions } from './ensureSubscriptions.js';

export type ChangeWatch = ReturnType<typeof createChangeWatch>;

/**
 * How far each catch-up poll reaches back before the newest change it has seen: a server stamps
 * `meta.lastUpdated` when a write starts, so a write committed a little after a later one could
 * otherwise fall behind the watermark. What it finds again has the same change ids: left out.
 */
const pollOverlapMs = 5_000;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Change detection for one organisation: R4 rest-hook Subscriptions on Appointment and Slot whose
 * notifications arrive as pushes at `context.pushUrl`, and a catch-up poll (`_lastUpdated=gt…`)
 * for what a lost notification would miss. Both record into the connection's change log with ids
 * per resource version, so what both find is recorded once.
 */
export function createChangeWatch(
  context: ConnectContext<FhirSettings>,
  client: FhirClient,
  catalogue: FhirCatalogueCache,
) {
  const { id, settings, pushUrl, deadlineMs, logger, now } = context;
  // Asking for the log gives the connection the CHANGES capability.
  const record = createChangeRecorder(context.changeLog(), now);
  // From the secret every replica shares, so any replica checks any notification; without one,
  // a random secret per run, for one replica (each run takes the Subscriptions over).
  const secret = settings.pushSecret
    ? createHmac('sha256', settings.pushSecret)
        .update(`fhir-subscription:${id}`)
        .digest('base64url')
    : randomBytes(32).toString('base64url');
  const expectedAuthorization = digest(`Bearer ${secret}`);
  // What happened before this run is for the server's redelivery and scheduling's sweep to find.
  const startedAt = now();
  /** Newest `meta.lastUpdated` a poll has found, in ms. */
  let newestSeen = Number.NEGATIVE_INFINITY;

  /**
   * The catch-up poll, run by the kit at start and every `FHIR_CHANGES_POLL_MS`; it also keeps the
   * Subscriptions in force when pushes can reach the connection.
   */
  const poll = context.background({
    label: 'FHIR change poll',
    intervalMs: settings.changesPollMs,
    async run(budget) {
      if (pushUrl) {
        const written = await ensureSubscriptions(client, { endpoint: pushUrl, secret }, budget);
        if (written > 0) logger.info({ written }, 'FHIR Subscriptions requested');
      }
      const directory = await catalogue.get(budget.signal);
      const since = new Date(Math.max(startedAt, newestSeen - pollOverlapMs)).toISOString();
      const changed = { _lastUpdated: `gt${since}` };
      const [appointments, slots] = await Promise.all([
        client.search('Appointment', { ...changed, identifier: `${reservationSystem}|` }, budget),
        client.search('Slot', changed, budget),
      ]);
      for (const resource of [...appointments, ...slots]) {
        await record(resource, directory, 'POLL');
        const at = Date.parse(resource.meta.lastUpdated ?? '');
        if (at > newestSeen) newestSeen = at;
      }
    },
  });

  /** A Subscription notification for this connection (`POST /push/<connection id>`). */
  async function receive(push: PushRequest): Promise<PushAnswer> {
    const given = push.headers.authorization;
    const authorised =
      typeof given === 'string' && timingSafeEqual(digest(given), expectedAuthorization);
    if (!pushUrl || !authorised) return { status: 401, message: 'missing or wrong bearer secret' };
    // R4: a notification without payload says only that something matched; go and look.
    if (push.body.length === 0) {
      void poll.runNow();
      return { status: 200, message: 'polling' };
    }
    let json: unknown;
    try {
      json = JSON.parse(push.body.toString('utf8'));
    } catch {
      return { status: 400, message: 'body is not JSON' };
    }
    const parsed = notificationSchema.safeParse(json);
    if (!parsed.success) return { status: 400, message: 'body is not a valid Appointment or Slot' };
    // Not taken while the directory cannot be read: the server delivers it again, or a poll finds it.
    const directory = await catalogue.get(AbortSignal.timeout(deadlineMs)).catch(() => null);
    if (!directory) return { status: 503, message: 'directory unavailable' };
    await record(parsed.data, directory, 'PUSH');
    return { status: 200 };
  }

  return { poll, receive };
}
