import type http from 'node:http';
import { z } from 'zod';
import { answerClinicChange } from './answerClinicChange.js';
import { mutationSchema, type Publisher } from './createPublisher.js';
import { type Answer, error, problemsOf, readJson } from './httpAnswer.js';
import { type PublisherId, publisherIds } from './publisherIds.js';
import type { PublisherStats, SmartLogger } from './server.js';

const mutateRequest = z.strictObject({
  publisher: z.enum(publisherIds),
  mutations: z.array(mutationSchema).min(1).max(1000),
});

/**
 * The simulator's own `/_admin/` endpoints, beside the kit's control protocol: request counters
 * (`GET stats`), portal bookings (`GET bookings`), changes to the data (`POST mutate`) and the
 * control protocol's changes at the clinic (`POST clinic-changes`).
 */
export async function routeOwnAdmin(
  publishers: ReadonlyMap<PublisherId, Publisher>,
  stats: Readonly<Record<PublisherId, PublisherStats>>,
  logger: SmartLogger,
  req: http.IncomingMessage,
  action: string | undefined,
  clock: () => Date,
): Promise<Answer> {
  switch (`${req.method} ${action ?? ''}`) {
    case 'POST clinic-changes':
      return answerClinicChange(publishers, logger, req, clock);
    case 'GET stats':
      return { status: 200, body: stats };
    case 'GET bookings':
      return {
        status: 200,
        body: Object.fromEntries([...publishers].map(([id, p]) => [id, p.bookings()])),
      };
    case 'POST mutate': {
      const body = await readJson(req);
      if (!('ok' in body)) return body;
      const parsed = mutateRequest.safeParse(body.value);
      if (!parsed.success) return error(400, 'invalid_request', problemsOf(parsed.error.issues));
      const publisher = publishers.get(parsed.data.publisher)!;
      const outcome = publisher.mutate(parsed.data.mutations);
      if (!outcome.ok) return error(404, 'not_found', outcome.message);
      const publication = publisher.current();
      logger.info('publication changed', {
        publisher: publisher.id,
        operations: parsed.data.mutations.map((m) => m.op),
      });
      return {
        status: 200,
        body: {
          transactionTime: new Date(publication.transactionTime).toISOString(),
          files: publication.files.map((f) => ({
            name: f.name,
            etag: f.etag,
            lastModified: new Date(f.lastModified).toISOString(),
          })),
        },
      };
    }
    default:
      return error(404, 'not_found', 'No such admin endpoint.');
  }
}
