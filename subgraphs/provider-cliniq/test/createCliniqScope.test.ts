import { createCatalogueCache, type RequestBudget } from '@booking/provider-kit';
import { describe, expect, it } from 'vitest';
import type { Slot } from '../src/__generated__/types.gen.js';
import type { CliniqClient } from '../src/client/createCliniqClient.js';
import { createCliniqScope } from '../src/createCliniqScope.js';
import type { CliniqConnection } from '../src/provider.js';

function vendorSlot(clinicId: string, hhmm: string): Slot {
  return {
    id: `SL-${clinicId}-PR1-20260330${hhmm}`,
    clinicId,
    practitionerId: 'PR1',
    practitionerName: 'A',
    serviceCodes: ['ALLM20'],
    start: `2026-03-30T${hhmm.slice(0, 2)}:${hhmm.slice(2)}:00`,
    end: `2026-03-30T${hhmm.slice(0, 2)}:${hhmm.slice(2, 3)}9:00`,
  };
}

type Request = (paging: { page: number; pageSize: number }) => {
  path: string;
  query?: Record<string, string>;
};

/** A connection whose client records the lists it was asked for (their first page's query). */
function fakeConnection(id: string) {
  const calls = { slotQueries: [] as Record<string, string>[] };
  const client = {
    async list(request: Request) {
      const { query = {} } = request({ page: 1, pageSize: 100 });
      calls.slotQueries.push(query);
      return (query.clinicId ?? '')
        .split(',')
        .flatMap((clinicId) => [vendorSlot(clinicId, '0800'), vendorSlot(clinicId, '0820')]);
    },
  } as unknown as CliniqClient;
  const connection: CliniqConnection = {
    id,
    name: id,
    deadlineMs: 1000,
    holdTtlSeconds: 300,
    client,
    catalogue: createCatalogueCache({
      load: async () => ({ clinics: [], services: [] }),
      label: 'Cliniq catalogue',
      refreshMs: 60_000,
      fetchTimeoutMs: 1000,
    }),
    // The scope never polls.
    changes: undefined as never,
  };
  return { connection, calls };
}

const budget = (): RequestBudget => ({
  signal: new AbortController().signal,
  deadlineAt: Date.now() + 1000,
});
const window = { from: '2026-03-30T00:00:00', to: '2026-03-31T00:00:00', serviceCode: 'ALLM20' };

describe('createCliniqScope', () => {
  it('merges slot searches that differ only by clinic into one Cliniq request', async () => {
    const { connection, calls } = fakeConnection('cliniq-a');
    const scope = createCliniqScope();
    const [one, two] = await Promise.all([
      scope.slots(connection, { ...window, clinicId: 'CL1' }, budget()),
      scope.slots(connection, { ...window, clinicId: 'CL2' }, budget()),
    ]);
    expect(calls.slotQueries).toEqual([
      { ...window, clinicId: 'CL1,CL2', page: '1', pageSize: '100' },
    ]);
    expect(one.map((s) => s.clinicId)).toEqual(['CL1', 'CL1']);
    expect(two.map((s) => s.clinicId)).toEqual(['CL2', 'CL2']);
  });

  it('keeps different windows and different tenants apart', async () => {
    const a = fakeConnection('cliniq-a');
    const b = fakeConnection('cliniq-b');
    const scope = createCliniqScope();
    await Promise.all([
      scope.slots(a.connection, { ...window, clinicId: 'CL1' }, budget()),
      scope.slots(
        a.connection,
        { ...window, to: '2026-04-01T00:00:00', clinicId: 'CL1' },
        budget(),
      ),
      scope.slots(b.connection, { ...window, clinicId: 'CL1' }, budget()),
    ]);
    expect(a.calls.slotQueries).toHaveLength(2);
    expect(b.calls.slotQueries).toHaveLength(1);
  });

  it('lets each caller stop at its own deadline even when its batch goes on', async () => {
    const { connection } = fakeConnection('cliniq-a');
    const slow = {
      ...connection,
      client: { ...connection.client, list: () => new Promise<Slot[]>(() => {}) },
    } as CliniqConnection;
    const impatient = new AbortController();
    const scope = createCliniqScope();
    const waiting = scope.slots(
      slow,
      { ...window, clinicId: 'CL1' },
      { signal: impatient.signal, deadlineAt: 0 },
    );
    impatient.abort(new Error('deadline passed'));
    await expect(waiting).rejects.toThrow('deadline passed');
  });
});
