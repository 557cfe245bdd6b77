import { clinicChangeRequest } from '@booking/simulator-kit';
import { DateTime } from 'luxon';
import { z } from 'zod';
import type { TenantStore } from './createTenantStore.js';
import { failure, type Outcome, success } from './errors.js';

/** `POST /_admin/clinic-changes` (the simulator kit's control protocol, "Changes at the clinic"). */
const clinicChange = clinicChangeRequest({ booking: z.string().min(1) });

/**
 * A change made at the clinic by its staff, in the tenant's store, which reports it in the tenant's
 * change feed like any other change. Runs synchronously once the body is read, so it is one step
 * among the API's requests, never split by one of them.
 */
export function applyClinicChange(
  tenants: ReadonlyMap<string, TenantStore>,
  body: unknown,
): Outcome<unknown> {
  const parsed = clinicChange.safeParse(body);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`,
    );
    return failure(400, 'invalid_request', problems.join('; '));
  }
  const change = parsed.data;
  const store = tenants.get(change.connection);
  if (!store) return failure(404, 'not_found', `Unknown tenant ${change.connection}.`);
  const withBooking = <T>(outcome: Outcome<T>) =>
    outcome.ok ? success(200, { booking: outcome.body }) : outcome;
  switch (change.kind) {
    case 'CANCEL':
      return withBooking(store.clinicCancel(change.booking));
    case 'NO_SHOW':
      return withBooking(store.clinicNoShow(change.booking));
    case 'MOVE':
      return withBooking(store.clinicMove(change.booking, DateTime.fromJSDate(change.start)));
    case 'OPEN_SLOT': {
      const start = change.start ? DateTime.fromJSDate(change.start) : undefined;
      const opened = store.clinicOpen(change.clinic, start);
      return opened.ok ? success(200, { slot: opened.body }) : opened;
    }
  }
}
