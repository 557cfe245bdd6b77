import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { freeSlot, type StartedSimulator, startSimulator } from './startSimulator.js';

let sim: StartedSimulator;
beforeAll(async () => {
  sim = await startSimulator();
}, 30_000);
afterAll(() => sim.stop());
beforeEach(async () => {
  await sim.admin('POST', 'reset');
});

const change = (body: Record<string, unknown>) =>
  sim.admin('POST', 'clinic-changes', { connection: 'fhir', ...body });

/** Another client books a free slot; its Appointment, read back. */
async function booked(schedule = 'sched-lindqvist', from?: string) {
  const slot = await freeSlot(sim, schedule, from);
  const taken = await sim.admin('POST', `take-slot/${slot.id}`);
  return { slot, appointment: taken.body.entry[1].resource };
}

describe('POST /_admin/clinic-changes', () => {
  it('CANCEL: the Appointment is cancelled in a new version and its slot is free again', async () => {
    const { slot, appointment } = await booked();
    const answer = await change({ kind: 'CANCEL', booking: appointment.id });
    expect(answer.status).toBe(200);
    expect(answer.body.booking).toMatchObject({ id: appointment.id, status: 'cancelled' });
    const after = await sim.fhir('GET', `Appointment/${appointment.id}`);
    expect(after.body.status).toBe('cancelled');
    expect(after.body.meta.versionId).not.toBe(appointment.meta.versionId);
    expect((await sim.fhir('GET', `Slot/${slot.id}`)).body.status).toBe('free');
    // Cancelling it again is a conflict, and changes nothing.
    expect((await change({ kind: 'CANCEL', booking: appointment.id })).status).toBe(409);
  });

  it('NO_SHOW: a booked Appointment becomes noshow; its slot stays busy', async () => {
    const { slot, appointment } = await booked();
    const answer = await change({ kind: 'NO_SHOW', booking: appointment.id });
    expect(answer.body.booking.status).toBe('noshow');
    expect((await sim.fhir('GET', `Slot/${slot.id}`)).body.status).toBe('busy');
    expect((await change({ kind: 'CANCEL', booking: appointment.id })).status).toBe(409);
  });

  it('MOVE: the Appointment moves to the free slot at the new start, the old one is freed', async () => {
    const { slot, appointment } = await booked();
    const later = await freeSlot(sim, 'sched-lindqvist', '2026-10-22T00:00:00Z');
    const answer = await change({ kind: 'MOVE', booking: appointment.id, start: later.start });
    expect(answer.status).toBe(200);
    const moved = (await sim.fhir('GET', `Appointment/${appointment.id}`)).body;
    expect(moved).toMatchObject({
      slot: [{ reference: `Slot/${later.id}` }],
      start: later.start,
      end: later.end,
    });
    expect((await sim.fhir('GET', `Slot/${slot.id}`)).body.status).toBe('free');
    expect((await sim.fhir('GET', `Slot/${later.id}`)).body.status).toBe('busy');
  });

  it('MOVE to a time with no free slot at the clinic is a conflict that changes nothing', async () => {
    const { appointment } = await booked();
    const answer = await change({
      kind: 'MOVE',
      booking: appointment.id,
      start: '2026-10-24T03:00:00Z',
    });
    expect(answer.status).toBe(409);
    const after = (await sim.fhir('GET', `Appointment/${appointment.id}`)).body;
    expect(after.meta.versionId).toBe(appointment.meta.versionId);
  });

  it('OPEN_SLOT: a new free slot at the clinic, at the first time at or after start that is open', async () => {
    const answer = await change({
      kind: 'OPEN_SLOT',
      clinic: 'loc-sodermalm',
      start: '2026-10-20T18:02:30Z',
    });
    expect(answer.status).toBe(200);
    const { slot } = answer.body;
    expect(slot).toMatchObject({ status: 'free', schedule: 'Schedule/sched-berg' });
    expect(Date.parse(slot.start)).toBe(Date.parse('2026-10-20T18:03:00Z'));
    const found = await sim.fhir(
      'GET',
      'Slot?schedule=Schedule/sched-berg&status=free&start=ge2026-10-20T18:00:00Z&start=lt2026-10-20T19:00:00Z',
    );
    expect(found.body.entry.map((e: { resource: { id: string } }) => e.resource.id)).toContain(
      slot.id,
    );
  });

  it('OPEN_SLOT within opening hours starts after the practitioner’s booked slots', async () => {
    const answer = await change({
      kind: 'OPEN_SLOT',
      clinic: 'loc-sodermalm',
      start: '2026-10-20T06:00:00Z',
    });
    // berg's slots run 08:00–12:00 local (06:00–10:00Z), so the first open moment is 10:00Z.
    expect(Date.parse(answer.body.slot.start)).toBe(Date.parse('2026-10-20T10:00:00Z'));
  });

  it.each([
    [{ kind: 'CANCEL', booking: 'no-such-appointment' }, 404],
    [{ kind: 'OPEN_SLOT', clinic: 'loc-nowhere', start: '2026-10-20T18:00:00Z' }, 404],
    [{ kind: 'CANCEL', booking: 'x', connection: 'other' }, 404],
    [{ kind: 'MOVE', booking: 'x' }, 400],
    [{ kind: 'LOSE', booking: 'x' }, 400],
    [{ kind: 'CANCEL', booking: 'x', extra: 1 }, 400],
  ])('answers %j with %i', async (body, status) => {
    expect((await change(body)).status).toBe(status);
  });
});
