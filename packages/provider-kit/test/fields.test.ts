import { describe, expect, it } from 'vitest';
import { ianaTimeZone, latitude, longitude } from '../src/index.js';

describe('shared fields', () => {
  it('accept positions on the globe and refuse others', () => {
    expect(latitude.safeParse(59.33).success).toBe(true);
    expect(latitude.safeParse(90.1).success).toBe(false);
    expect(longitude.safeParse(-180).success).toBe(true);
    expect(longitude.safeParse(180.5).success).toBe(false);
  });

  it('accept IANA zones and refuse other names, without quoting them', () => {
    expect(ianaTimeZone.safeParse('Europe/Oslo').success).toBe(true);
    const refused = ianaTimeZone.safeParse('Mars/Olympus');
    expect(refused.error?.issues[0]?.message).toBe('not an IANA time zone');
  });
});
