import { describe, expect, it } from 'vitest';
import { appointmentTime, calendarDay, clockTime, dayHeading } from '../src/format/swedishTime.js';

const stockholm = 'Europe/Stockholm';

describe('times in Swedish, at the clinic', () => {
  it('reads the wall clock in the clinic’s zone, whatever offset the instant is written in', () => {
    expect(clockTime('2026-12-09T08:30:00+01:00', stockholm)).toBe('08:30');
    expect(clockTime('2026-12-09T07:30:00Z', stockholm)).toBe('08:30');
    // Summer time: the same UTC hour is an hour later on the clinic's clock.
    expect(clockTime('2026-06-09T07:30:00Z', stockholm)).toBe('09:30');
  });

  it('puts a late evening slot on its Swedish day, not its UTC day', () => {
    expect(calendarDay('2026-12-09T23:30:00Z', stockholm)).toBe('2026-12-10');
    expect(calendarDay('2026-12-09T22:30:00Z', 'UTC')).toBe('2026-12-09');
  });

  it('names today, tomorrow and the day after, then the weekday and date', () => {
    const today = '2026-12-09';
    expect(dayHeading('2026-12-09', today)).toBe('I dag, onsdag 9 december');
    expect(dayHeading('2026-12-10', today)).toBe('I morgon, torsdag 10 december');
    expect(dayHeading('2026-12-11', today)).toBe('I övermorgon, fredag 11 december');
    expect(dayHeading('2026-12-12', today)).toBe('Lördag 12 december');
  });

  it('says when an appointment is, relative to now at the clinic', () => {
    const now = new Date('2026-12-09T22:00:00Z'); // 23:00 in Stockholm
    expect(appointmentTime('2026-12-10T07:30:00Z', stockholm, now)).toBe(
      'I morgon, torsdag 10 december kl. 08:30',
    );
  });
});
