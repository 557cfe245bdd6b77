import { describe, expect, it } from 'vitest';
import {
  envelope,
  facilities,
  otherPatient,
  patient,
  payload,
  units,
  useTestSimulator,
} from './startSimulator.js';

const simulator = useTestSimulator();

const subject = `<tns:subject_of_care>${patient}</tns:subject_of_care>`;

describe('catalogue interactions', () => {
  it('GetAllHealthcareFacilities lists every facility for the unit, one for a facility', async () => {
    const all = await simulator().call(
      'GetAllHealthcareFacilities',
      `<tns:healthcare_facility>${units.kungsholmen}</tns:healthcare_facility>${subject}`,
    );
    expect(all.status).toBe(200);
    expect(
      all.body.healthcareFacilityInfos.map(
        (f: { healthcare_facility: string }) => f.healthcare_facility,
      ),
    ).toEqual([facilities.kungsholmen, facilities.vaccination]);
    const one = await simulator().call(
      'GetAllHealthcareFacilities',
      `<tns:healthcare_facility>${facilities.vaccination}</tns:healthcare_facility>${subject}`,
    );
    expect(one.body.healthcareFacilityInfos).toHaveLength(1);
  });

  it('GetAllTimeTypes, GetAllCareTypes and GetAllPerformers describe a facility, with their filters', async () => {
    const facility = `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility>`;
    const timeTypes = await simulator().call(
      'GetAllTimeTypes',
      `${facility}<ext:subject_of_care>${patient}</ext:subject_of_care>`,
    );
    expect(timeTypes.body.ListOfTimeTypes.map((t: { timeTypeId: string }) => t.timeTypeId)).toEqual(
      ['LAK20', 'SSK15', 'VACC10', 'TEL10'],
    );
    const careTypes = await simulator().call(
      'GetAllCareTypes',
      `${facility}<tns:timeTypeIDs>LAK20</tns:timeTypeIDs>${subject}`,
    );
    expect(careTypes.body.careTypes).toEqual([
      { careTypeName: 'Allmänmedicin', careTypeId: 'ALLM' },
    ]);
    const performers = await simulator().call(
      'GetAllPerformers',
      `${facility}<tns:timeTypeIDs>VACC10</tns:timeTypeIDs>${subject}`,
    );
    // `perfomer` (sic) is the schema's own spelling.
    expect(performers.body.performerInfos).toEqual([
      {
        perfomer: 'SE2321000016-S102',
        firstName: 'Erik',
        lastName: 'Johansson',
        title: 'Leg. sjuksköterska',
      },
    ]);
  });

  it('GetAvailableDates lists the days a performer has free time', async () => {
    const dates = await simulator().call(
      'GetAvailableDates',
      `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility>
       <tns:startDateInclusive>20261019</tns:startDateInclusive>
       <tns:endDateInclusive>20261025</tns:endDateInclusive>
       <tns:performer>SE2321000016-L101</tns:performer>
       <ext:subject_of_care>${patient}</ext:subject_of_care>`,
    );
    expect(dates.body.performerAvailabilityByDate.map((d: { date: string }) => d.date)).toEqual([
      '20261019',
      '20261020',
      '20261021',
      '20261022',
      '20261023',
    ]);
  });
});

describe('timeslots', () => {
  it('are written as offset-less Swedish wall time, 08:00 on both sides of the autumn change', async () => {
    const slots = await simulator().timeslots(
      '20261023',
      '20261026',
      facilities.kungsholmen,
      units.kungsholmen,
      '<tns:performer>SE2321000016-L101</tns:performer>',
    );
    const firstOf = (day: string) => slots.find((s) => s.startTimeInclusive!.startsWith(day));
    // Other patients booked some timeslots before start-up; the first free one is at or after 08:00.
    expect(firstOf('20261023')!.startTimeInclusive!.slice(8)).toMatch(/^(08|09)\d{4}$/);
    expect(firstOf('20261026')!.startTimeInclusive!.slice(8)).toMatch(/^(08|09)\d{4}$/);
    expect(slots.every((s) => /^\d{14}$/.test(s.startTimeInclusive!))).toBe(true);
    expect(slots.some((s) => s.startTimeInclusive!.startsWith('20261025'))).toBe(false);
  });

  it('are not offered within the booking lead time, nor when another patient has them', async () => {
    const today = await simulator().timeslots('20261019', '20261019');
    // Now is 10:00 local; the lead is 120 minutes.
    expect(today.every((s) => s.startTimeInclusive! >= '20261019120000')).toBe(true);
    const withOthers = await simulator().timeslots('20261020', '20261030');
    await simulator().admin('POST', 'config', { otherPatientsShare: 0 });
    const all = await simulator().timeslots('20261020', '20261030');
    expect(withOthers.length).toBeLessThan(all.length);
    expect(withOthers.length).toBeGreaterThan(all.length * 0.75);
  });

  it("stop at each facility's own booking horizon (the clock says 2026-10-19)", async () => {
    const days = (slots: Record<string, string>[]) =>
      slots.map((s) => s.startTimeInclusive!.slice(0, 8));
    // The GP reception opens four weeks ahead: through 2026-11-16.
    const reception = days(await simulator().timeslots('20261109', '20261123'));
    expect(reception.some((day) => day >= '20261110')).toBe(true);
    expect(reception.every((day) => day <= '20261116')).toBe(true);
    // The vaccination clinic opens half a year ahead: through 2027-04-19.
    const vaccination = days(
      await simulator().timeslots('20270405', '20270425', facilities.vaccination),
    );
    expect(vaccination.some((day) => day >= '20270412')).toBe(true);
    expect(vaccination.every((day) => day <= '20270419')).toBe(true);
  });

  it('stop at daysAhead for every facility while it is set, and at their own again once cleared', async () => {
    await simulator().admin('POST', 'config', { daysAhead: 3 });
    expect(await simulator().timeslots('20261023', '20261030', facilities.vaccination)).toEqual([]);
    expect((await simulator().timeslots('20261020', '20261022')).length).toBeGreaterThan(0);
    await simulator().admin('POST', 'config', { daysAhead: null });
    const back = await simulator().timeslots('20261023', '20261030', facilities.vaccination);
    expect(back.length).toBeGreaterThan(0);
  });

  it('filter by time type and performer', async () => {
    const vaccination = await simulator().timeslots(
      '20261021',
      '20261021',
      facilities.kungsholmen,
      units.kungsholmen,
      '<tns:timeTypeID>VACC10</tns:timeTypeID>',
    );
    expect(vaccination.length).toBeGreaterThan(0);
    expect(
      vaccination.every((s) => s.timeTypeID === 'VACC10' && s.performer === 'SE2321000016-S102'),
    ).toBe(true);
  });
});

describe('booking', () => {
  it('MakeBooking answers OK with a booking id, and the timeslot is gone', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    const made = await simulator().makeBooking(slot!, { purpose: 'Vården:r-1' });
    expect(made.status).toBe(200);
    expect(made.body).toEqual({ bookingId: 'BK00000001', resultCode: 'OK' });
    const after = await simulator().timeslots('20261021', '20261021');
    expect(
      after.some(
        (s) => s.startTimeInclusive === slot!.startTimeInclusive && s.performer === slot!.performer,
      ),
    ).toBe(false);
  });

  it('a taken timeslot is resultCode ERROR inside an HTTP 200, not a fault', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    await simulator().makeBooking(slot!);
    const again = await simulator().makeBooking(slot!, { subject: otherPatient });
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ resultCode: 'ERROR', resultText: 'Tiden är inte längre ledig.' });
  });

  it('refuses an impossible personnummer, a blank name and a timeslot that does not exist', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    expect((await simulator().makeBooking(slot!, { subject: '199001010018' })).body).toMatchObject({
      resultCode: 'ERROR',
      resultText: 'Ogiltigt personnummer.',
    });
    expect((await simulator().makeBooking(slot!, { firstName: ' ' })).body.resultCode).toBe(
      'ERROR',
    );
    const missing = await simulator().makeBooking({
      ...slot!,
      startTimeInclusive: '20261021030000',
    });
    expect(missing.body).toMatchObject({
      resultCode: 'ERROR',
      resultText: 'Tiden finns inte i tidboken.',
    });
  });

  it('answers INFO when it shortens a long notification, and books all the same', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    const made = await simulator().makeBooking(slot!, { notification: 'x'.repeat(600) });
    expect(made.body).toMatchObject({ resultCode: 'INFO', bookingId: 'BK00000001' });
  });

  it('refuses a citizen booking for someone else (Actor header)', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    const actor = `<ih:Actor xmlns:ih="urn:riv:interoperability:headers:1"><ih:actorId>${otherPatient}</ih:actorId><ih:actorType>subject_of_care</ih:actorType></ih:Actor>`;
    const response = await simulator().post(
      'MakeBooking',
      envelope(
        payload(
          'MakeBooking',
          `<tns:healthcare_facility_med>${slot!.healthcare_facility}</tns:healthcare_facility_med>
           <tns:requestedTimeslot>
             <core:startTimeInclusive>${slot!.startTimeInclusive}</core:startTimeInclusive>
             <core:healthcare_facility>${slot!.healthcare_facility}</core:healthcare_facility>
             <core:subject_of_care>${patient}</core:subject_of_care>
           </tns:requestedTimeslot>
           <tns:subject_of_care_info><core11:firstName>T</core11:firstName><core11:lastName>P</core11:lastName></tns:subject_of_care_info>`,
        ),
        units.kungsholmen,
        actor,
      ),
    );
    expect(response.body.resultCode).toBe('ERROR');
  });

  it('GetBookingDetails and GetSubjectOfCareSchedule show the booking with its purpose, for its patient only', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    await simulator().makeBooking(slot!, { purpose: 'Vården:r-2' });
    const details = await simulator().call(
      'GetBookingDetails',
      `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:bookingId>BK00000001</tns:bookingId>`,
    );
    expect(details.body.timeslotDetail[0]).toMatchObject({
      bookingId: 'BK00000001',
      subject_of_care: patient,
      purpose: 'Vården:r-2',
      startTimeInclusive: slot!.startTimeInclusive,
      cancel_booking_allowed: 'true',
      isInvitation: 'false',
    });
    const schedule = (who: string) =>
      simulator().call(
        'GetSubjectOfCareSchedule',
        `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:subject_of_care>${who}</tns:subject_of_care>`,
      );
    expect((await schedule(patient)).body.timeslotDetail).toHaveLength(1);
    expect((await schedule(otherPatient)).body.timeslotDetail).toBeUndefined();
  });

  it('GetBookingDetails of an unknown booking is a Client fault: its response has no resultCode', async () => {
    const details = await simulator().call(
      'GetBookingDetails',
      `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:bookingId>BK99</tns:bookingId>`,
    );
    expect(details.status).toBe(500);
    expect(details.body).toMatchObject({
      faultcode: 'soap:Client',
      faultstring: 'Bokningen finns inte.',
    });
  });

  it('UpdateBooking moves a booking, keeping its id, and frees the old timeslot', async () => {
    const [first, second] = await simulator().timeslots('20261021', '20261021');
    await simulator().makeBooking(first!);
    const moved = await simulator().call(
      'UpdateBooking',
      `<tns:requestedTimeslot>
         <core:startTimeInclusive>${second!.startTimeInclusive}</core:startTimeInclusive>
         <core:endTimeExclusive>${second!.endTimeExclusive}</core:endTimeExclusive>
         <core:healthcare_facility>${second!.healthcare_facility}</core:healthcare_facility>
         <core:performer>${second!.performer}</core:performer>
         <core:bookingId>BK00000001</core:bookingId>
       </tns:requestedTimeslot>`,
    );
    expect(moved.body).toEqual({ resultCode: 'OK' });
    const free = await simulator().timeslots('20261021', '20261021');
    expect(free[0]).toMatchObject({ startTimeInclusive: first!.startTimeInclusive });
    const details = await simulator().call(
      'GetBookingDetails',
      `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:bookingId>BK00000001</tns:bookingId>`,
    );
    expect(details.body.timeslotDetail[0].startTimeInclusive).toBe(second!.startTimeInclusive);
  });

  it('CancelBooking frees the timeslot; a repeat is INFO, an unknown booking ERROR', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    await simulator().makeBooking(slot!);
    const cancel = (id: string) =>
      simulator().call(
        'CancelBooking',
        `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:bookingId>${id}</tns:bookingId><tns:message>Förhindrad</tns:message>`,
      );
    expect((await cancel('BK00000001')).body).toEqual({ resultCode: 'OK' });
    expect((await cancel('BK00000001')).body).toEqual({
      resultCode: 'INFO',
      resultText: 'Bokningen är redan avbokad.',
    });
    expect((await cancel('BK404')).body).toEqual({
      resultCode: 'ERROR',
      resultText: 'Bokningen finns inte.',
    });
    expect((await simulator().timeslots('20261021', '20261021'))[0]!.startTimeInclusive).toBe(
      slot!.startTimeInclusive,
    );
  });

  it('refuses to cancel within the cut-off, and says so in the booking beforehand', async () => {
    const [slot] = await simulator().timeslots('20261021', '20261021');
    await simulator().makeBooking(slot!);
    // Thirty minutes before the start (a 20-minute slot at 08:00 local is 06:00Z in summer time).
    const start = slot!.startTimeInclusive!;
    const startUtc = Date.parse(
      `${start.slice(0, 4)}-${start.slice(4, 6)}-${start.slice(6, 8)}T${start.slice(8, 10)}:${start.slice(10, 12)}:00+02:00`,
    );
    simulator().clock.set(new Date(startUtc - 30 * 60_000).toISOString());
    const details = await simulator().call(
      'GetBookingDetails',
      `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:bookingId>BK00000001</tns:bookingId>`,
    );
    expect(details.body.timeslotDetail[0].cancel_booking_allowed).toBe('false');
    const cancelled = await simulator().call(
      'CancelBooking',
      `<tns:healthcare_facility>${facilities.kungsholmen}</tns:healthcare_facility><tns:bookingId>BK00000001</tns:bookingId>`,
    );
    expect(cancelled.body).toEqual({
      resultCode: 'ERROR',
      resultText: 'Avbokning kan inte göras senare än 60 minuter före besöket.',
    });
  });
});
