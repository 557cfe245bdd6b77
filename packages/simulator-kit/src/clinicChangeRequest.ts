import { z } from 'zod';

/** An RFC 3339 instant with an offset, as a `Date`. */
const instant = z.iso.datetime({ offset: true }).transform((text) => new Date(text));
const connection = z.string().min(1);

/**
 * The body of `POST /_admin/clinic-changes` (the control protocol's "Changes at the clinic"),
 * checked the same way by every simulator: `booking` and `clinic` are the simulator's own ids, so
 * it passes their schemas. Unknown fields are refused. `start` is required to move a booking, and
 * optional to open a time (now when left out).
 */
export function clinicChangeRequest<B extends z.ZodType, C extends z.ZodType = z.ZodString>(ids: {
  booking: B;
  clinic?: C;
}) {
  const { booking } = ids;
  const clinic = ids.clinic ?? z.string().min(1);
  return z.discriminatedUnion('kind', [
    z.strictObject({ connection, kind: z.literal('CANCEL'), booking }),
    z.strictObject({ connection, kind: z.literal('MOVE'), booking, start: instant }),
    z.strictObject({ connection, kind: z.literal('NO_SHOW'), booking }),
    z.strictObject({ connection, kind: z.literal('OPEN_SLOT'), clinic, start: instant.optional() }),
  ]);
}

/** A checked clinic change, for a simulator whose booking and clinic ids are `B` and `C`. */
export type ClinicChangeRequest<B extends z.ZodType, C extends z.ZodType = z.ZodString> = z.output<
  ReturnType<typeof clinicChangeRequest<B, C>>
>;
