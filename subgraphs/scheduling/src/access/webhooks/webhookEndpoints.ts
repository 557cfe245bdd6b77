import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { LedgerDatabase } from '../ledger/createLedgerDatabase.js';
import type { LedgerTables } from '../ledger/ledgerTables.js';

export type WebhookEndpointRecord = Selectable<LedgerTables['webhook_endpoints']>;

/**
 * The webhook endpoints client applications registered, each its application's own. Part of the
 * webhook store (`createWebhookStore` spreads these in).
 */
export function createWebhookEndpoints(db: LedgerDatabase, at: () => Date) {
  return {
    async createEndpoint(endpoint: {
      clientId: string;
      url: string;
      description: string | null;
      eventTypes: string[] | null;
      secretSealed: string;
    }): Promise<WebhookEndpointRecord> {
      const time = at();
      return db
        .insertInto('webhook_endpoints')
        .values({
          id: randomUUID(),
          client_id: endpoint.clientId,
          url: endpoint.url,
          description: endpoint.description,
          event_types: endpoint.eventTypes,
          secret_sealed: endpoint.secretSealed,
          enabled: true,
          disabled_reason: null,
          failing_since: null,
          created_at: time,
          updated_at: time,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    },

    /**
     * Changes an endpoint of `clientId`; undefined when it has none of that id. Enabling it makes
     * what waits for it due at once.
     */
    async updateEndpoint(
      clientId: string,
      id: string,
      patch: {
        url?: string;
        description?: string | null;
        eventTypes?: string[] | null;
        enabled?: boolean;
        secretSealed?: string;
      },
    ): Promise<WebhookEndpointRecord | undefined> {
      const updated = await db
        .updateTable('webhook_endpoints')
        .set({
          updated_at: at(),
          ...(patch.url !== undefined && { url: patch.url }),
          ...(patch.description !== undefined && { description: patch.description }),
          ...(patch.eventTypes !== undefined && { event_types: patch.eventTypes }),
          ...(patch.secretSealed !== undefined && { secret_sealed: patch.secretSealed }),
          // Enabling again starts afresh: the failures that disabled it are history.
          ...(patch.enabled !== undefined && {
            enabled: patch.enabled,
            disabled_reason: patch.enabled ? null : 'disabled by its owner',
            failing_since: null,
          }),
        })
        .where('client_id', '=', clientId)
        .where('id', '=', id)
        .returningAll()
        .executeTakeFirst();
      if (updated && patch.enabled) {
        await db
          .updateTable('webhook_deliveries')
          .set({ next_attempt_at: at() })
          .where('endpoint_id', '=', id)
          .where('status', '=', 'PENDING')
          .execute();
      }
      return updated;
    },

    /** Deletes an endpoint and its delivery log; false when `clientId` has none of that id. */
    async deleteEndpoint(clientId: string, id: string): Promise<boolean> {
      const deleted = await db
        .deleteFrom('webhook_endpoints')
        .where('client_id', '=', clientId)
        .where('id', '=', id)
        .executeTakeFirst();
      return Number(deleted.numDeletedRows) > 0;
    },

    endpointsOf(clientId: string): Promise<WebhookEndpointRecord[]> {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('client_id', '=', clientId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
    },

    endpoint(clientId: string, id: string): Promise<WebhookEndpointRecord | undefined> {
      return db
        .selectFrom('webhook_endpoints')
        .selectAll()
        .where('client_id', '=', clientId)
        .where('id', '=', id)
        .executeTakeFirst();
    },
  };
}
