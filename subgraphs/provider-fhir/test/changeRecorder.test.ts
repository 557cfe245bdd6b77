import { type ContractClinic, createChangeLog } from '@booking/provider-kit';
import { describe, expect, it } from 'vitest';
import { createChangeRecorder } from '../src/changes/createChangeRecorder.js';
import type { FhirAppointment, FhirSlot } from '../src/client/schemas.js';
import type { FhirCatalogue } from '../src/loadFhirCatalogue.js';
import { reservationSystem } from '../src/mapping.js';

const catalogue: FhirCatalogue = {
  clinics: [{ id: 'loc-1', treatmentIds: ['general-practitioner'] } as ContractClinic],
  treatments: [],
  schedules: new Map([
    [
      'sched-1',
      {
        id: 'sched-1',
        clinicId: 'loc-1',
        practitioner: { id: 'role-1', name: 'Dr Lind' },
        practitionerReference: { reference: 'PractitionerRole/role-1' },
        serviceTypes: [],
        treatmentIds: ['general-practitioner'],
      },
    ],
  ]),
};

const now = Date.parse('2026-10-19T08:00:00Z');

function appointment(extra: Partial<FhirAppointment> = {}): FhirAppointment {
  return {
    resourceType: 'Appointment',
    id: 'appt-1',
    meta: { versionId: 'v1', lastUpdated: '2026-10-19T10:00:00.000+02:00' },
    status: 'cancelled',
    identifier: [{ system: reservationSystem, value: 'res-1' }],
    slot: [{ reference: 'Slot/slot-1' }],
    start: '2026-10-20T10:00:00+02:00',
    end: '2026-10-20T10:20:00+02:00',
    participant: [{ actor: { reference: 'Location/loc-1' } }],
    ...extra,
  };
}

function slot(extra: Partial<FhirSlot> = {}): FhirSlot {
  return {
    resourceType: 'Slot',
    id: 'slot-9',
    meta: { versionId: 's1', lastUpdated: '2026-10-19T08:00:00Z' },
    schedule: { reference: 'Schedule/sched-1' },
    status: 'free',
    start: '2026-10-21T08:00:00Z',
    end: '2026-10-21T08:20:00Z',
    ...extra,
  };
}

function recorder() {
  const log = createChangeLog();
  const record = createChangeRecorder(log, () => now);
  const all = async () => (await log.page('unknown', 1000)).changes;
  return { record, all };
}

describe('createChangeRecorder', () => {
  it('records a platform Appointment as BOOKING_UPDATED, its version as id and lastUpdated as time', async () => {
    const { record, all } = recorder();
    await record(appointment(), catalogue, 'PUSH');
    expect(await all()).toEqual([
      {
        id: 'Appointment/appt-1/_history/v1',
        kind: 'BOOKING_UPDATED',
        source: 'PUSH',
        occurredAt: '2026-10-19T08:00:00.000Z',
        slot: null,
        booking: expect.objectContaining({
          reservationId: 'res-1',
          status: 'CANCELLED',
          start: '2026-10-20T08:00:00.000Z',
        }),
      },
    ]);
  });

  it('leaves out Appointments the platform did not make, or at another organisation’s clinics', async () => {
    const { record, all } = recorder();
    await record(
      appointment({ identifier: [{ system: 'urn:booking-web:x', value: '1' }] }),
      catalogue,
      'PUSH',
    );
    await record(
      appointment({ participant: [{ actor: { reference: 'Location/other' } }] }),
      catalogue,
      'PUSH',
    );
    expect(await all()).toEqual([]);
  });

  it('records a free Slot as SLOT_OPENED, any other as SLOT_CLOSED, another organisation’s not at all', async () => {
    const { record, all } = recorder();
    await record(slot(), catalogue, 'POLL');
    await record(
      slot({ meta: { versionId: 's2', lastUpdated: '2026-10-19T08:01:00Z' }, status: 'busy' }),
      catalogue,
      'POLL',
    );
    await record(
      slot({ id: 'slot-x', schedule: { reference: 'Schedule/elsewhere' } }),
      catalogue,
      'POLL',
    );
    expect((await all()).map((c) => [c.kind, c.slot?.id, c.slot?.clinicId])).toEqual([
      ['SLOT_OPENED', 'slot-9', 'loc-1'],
      ['SLOT_CLOSED', 'slot-9', 'loc-1'],
    ]);
  });

  it('records one version once, whether pushed or polled', async () => {
    const { record, all } = recorder();
    await record(appointment(), catalogue, 'PUSH');
    await record(appointment(), catalogue, 'POLL');
    expect(await all()).toHaveLength(1);
  });

  it('leaves out a version older than one recorded: a late redelivery cannot undo a cancellation', async () => {
    const { record, all } = recorder();
    await record(appointment(), catalogue, 'PUSH');
    const older = appointment({
      status: 'booked',
      meta: { versionId: 'v0', lastUpdated: '2026-10-19T07:59:00Z' },
    });
    await record(older, catalogue, 'POLL');
    expect((await all()).map((c) => c.booking?.status)).toEqual(['CANCELLED']);
  });
});
