/**
 * What each simulated provider system has booked, read from its admin endpoint: the kill matrix
 * compares it with the ledger after every kill.
 */

/** A public slot as the API returns it. */
export interface PublicSlot {
  id: string;
  start: string;
}

/** Active bookings and holds the platform made at a provider, each by its unique slot key. */
export interface ProviderState {
  bookings: string[];
  holds: string[];
}

export interface ProviderView {
  state(): Promise<ProviderState>;
  /** Whether a state key is `slot`'s. */
  matches(key: string, slot: PublicSlot): boolean;
}

async function getJson<T>(url: string): Promise<T> {
  const response = await fetch(url, { signal: AbortSignal.timeout(10_000) });
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return (await response.json()) as T;
}

/** The provider's local slot id inside a public slot id (`base64url(["Slot", connection, id])`). */
export const localSlotId = (publicId: string) =>
  (JSON.parse(Buffer.from(publicId, 'base64url').toString('utf8')) as string[])[2]!;

/** Active bookings of one slot, and slots booked more than once. */
export function countsFor(view: ProviderView, state: ProviderState, slot: PublicSlot) {
  const bookings = state.bookings.filter((key) => view.matches(key, slot)).length;
  const holds = state.holds.filter((key) => view.matches(key, slot)).length;
  const duplicates = state.bookings.length - new Set(state.bookings).size;
  return { bookings, holds, duplicates };
}

/** Cliniq: bookings and holds by slot id, of the platform's tenant `nordklinik`. */
export const cliniqView = (simulatorUrl: () => string): ProviderView => ({
  async state() {
    const body = await getJson<{
      bookings: { slotId: string; status: string; origin: string }[];
      holds: { slotId: string; status: string }[];
    }>(`${simulatorUrl()}/_admin/bookings?tenant=nordklinik`);
    return {
      bookings: body.bookings
        .filter((b) => b.origin === 'api' && b.status === 'booked')
        .map((b) => b.slotId),
      holds: body.holds.filter((h) => h.status === 'held').map((h) => h.slotId),
    };
  },
  matches: (key, slot) => key === localSlotId(slot.id),
});

/**
 * RIV-TA: bookings by `facility|performer|start`, the start in local wall time as RIV-TA writes
 * it (`20261025083000`); a public slot's `start` carries the clinic's own offset, so its wall
 * time is its first 19 characters.
 */
export const rivtaView = (simulatorUrl: () => string): ProviderView => ({
  async state() {
    const body = await getJson<{
      bookings: { status: string; start: string; performer: string; healthcareFacility: string }[];
    }>(`${simulatorUrl()}/_admin/bookings`);
    return {
      bookings: body.bookings
        .filter((b) => b.status === 'booked')
        .map((b) => `${b.healthcareFacility}|${b.performer}|${b.start}`),
      holds: [],
    };
  },
  matches: (key, slot) => key.endsWith(`|${slot.start.slice(0, 19).replace(/[-T:]/g, '')}`),
});
