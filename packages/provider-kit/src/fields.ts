import { IANAZone } from 'luxon';
import { z } from 'zod';

/** A WGS 84 latitude in degrees, as vendors and connection entries give a clinic's position. */
export const latitude = z.number().min(-90).max(90);
/** A WGS 84 longitude in degrees. */
export const longitude = z.number().min(-180).max(180);
/** An IANA time zone name luxon knows, e.g. `Europe/Stockholm`. */
export const ianaTimeZone = z
  .string()
  .refine((zone) => IANAZone.isValidZone(zone), 'not an IANA time zone');
