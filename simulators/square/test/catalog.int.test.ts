import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fysio, startSimulator, type TestSimulator } from './startSimulator.js';

let sim: TestSimulator;
beforeEach(async () => {
  sim = await startSimulator();
});
afterEach(async () => {
  await sim.close();
});

describe('ListLocations', () => {
  it("lists the token's seller's locations in Sweden, in Europe/Stockholm", async () => {
    const res = await sim.call('GET', '/v2/locations');
    expect(res.status).toBe(200);
    expect(res.body.locations.map((l: { id: string }) => l.id)).toEqual([
      fysio.sodermalm,
      fysio.kungsholmen,
    ]);
    expect(res.body.locations[0]).toMatchObject({
      name: 'Rörelse Södermalm',
      timezone: 'Europe/Stockholm',
      country: 'SE',
      currency: 'SEK',
      status: 'ACTIVE',
      merchant_id: 'MLRORELSEFYS01',
      address: {
        address_line_1: 'Hornsgatan 64',
        locality: 'Stockholm',
        postal_code: '118 21',
        country: 'SE',
      },
    });
    expect(res.body.locations[0].business_hours.periods[0]).toEqual({
      day_of_week: 'MON',
      start_local_time: '08:00:00',
      end_local_time: '18:00:00',
    });
  });
});

describe('ListTeamMemberBookingProfiles', () => {
  it('filters by location and bookable_only', async () => {
    const all = await sim.call(
      'GET',
      `/v2/bookings/team-member-booking-profiles?location_id=${fysio.sodermalm}`,
    );
    expect(
      all.body.team_member_booking_profiles.map(
        (p: { team_member_id: string }) => p.team_member_id,
      ),
    ).toEqual([fysio.elin, fysio.oskar, fysio.receptionist]);
    const bookable = await sim.call(
      'GET',
      `/v2/bookings/team-member-booking-profiles?location_id=${fysio.sodermalm}&bookable_only=true`,
    );
    expect(bookable.body.team_member_booking_profiles).toEqual([
      expect.objectContaining({
        team_member_id: fysio.elin,
        display_name: 'Elin Sjöberg',
        is_bookable: true,
      }),
      expect.objectContaining({ team_member_id: fysio.oskar, is_bookable: true }),
    ]);
  });

  it('pages with limit and cursor until the cursor is absent', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const res = await sim.call(
        'GET',
        `/v2/bookings/team-member-booking-profiles?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(
        ...res.body.team_member_booking_profiles.map(
          (p: { team_member_id: string }) => p.team_member_id,
        ),
      );
      cursor = res.body.cursor;
      pages += 1;
    } while (cursor && pages < 10);
    expect(pages).toBe(2);
    expect(seen).toHaveLength(4);
    expect(new Set(seen).size).toBe(4);
  });

  it('refuses a cursor it did not issue with INVALID_CURSOR and a limit over 100 with VALUE_TOO_HIGH', async () => {
    const bad = await sim.call('GET', '/v2/bookings/team-member-booking-profiles?cursor=nonsense');
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0]).toMatchObject({ code: 'INVALID_CURSOR', field: 'cursor' });
    const high = await sim.call('GET', '/v2/bookings/team-member-booking-profiles?limit=101');
    expect(high.body.errors[0]).toMatchObject({ code: 'VALUE_TOO_HIGH', field: 'limit' });
  });
});

describe('SearchCatalogObjects', () => {
  it('answers APPOINTMENTS_SERVICE items whose variations carry duration, team members and version', async () => {
    const res = await sim.call('POST', '/v2/catalog/search', {
      object_types: ['ITEM'],
      include_related_objects: true,
    });
    expect(res.status).toBe(200);
    const item = res.body.objects.find((o: { id: string }) => o.id === 'ITFYSNYBESOK0000000001');
    expect(item).toMatchObject({
      type: 'ITEM',
      item_data: { product_type: 'APPOINTMENTS_SERVICE' },
    });
    expect(item.item_data.variations[0]).toMatchObject({
      type: 'ITEM_VARIATION',
      id: fysio.nybesok60,
      version: expect.any(Number),
      item_variation_data: {
        service_duration: 3_600_000,
        available_for_booking: true,
        team_member_ids: [fysio.elin, fysio.oskar],
        price_money: { amount: 89_500, currency: 'SEK' },
      },
    });
  });

  it('lists variations as objects of their own for object_types ITEM_VARIATION, one not bookable online', async () => {
    const res = await sim.call('POST', '/v2/catalog/search', { object_types: ['ITEM_VARIATION'] });
    const byId = new Map(res.body.objects.map((o: { id: string }) => [o.id, o]));
    expect(res.body.objects.every((o: { type: string }) => o.type === 'ITEM_VARIATION')).toBe(true);
    expect(byId.get(fysio.notBookable)).toMatchObject({
      item_variation_data: { available_for_booking: false },
    });
  });
});

describe('RetrieveBusinessBookingProfile', () => {
  it("answers the seller's booking profile", async () => {
    const res = await sim.call('GET', '/v2/bookings/business-booking-profile');
    expect(res.body.business_booking_profile).toMatchObject({
      seller_id: 'MLRORELSEFYS01',
      booking_enabled: true,
      support_seller_level_writes: true,
    });
  });
});

describe('CreateCustomer', () => {
  const body = {
    idempotency_key: 'cust-1',
    given_name: 'Astrid',
    family_name: 'Lind',
    email_address: 'astrid@example.se',
  };

  it('creates a customer once per idempotency key', async () => {
    const first = await sim.call('POST', '/v2/customers', body);
    expect(first.status).toBe(200);
    expect(first.body.customer).toMatchObject({
      given_name: 'Astrid',
      family_name: 'Lind',
      version: 0,
    });
    expect(first.body.customer.id).toMatch(/^[0-9A-Z]{26}$/);
    const again = await sim.call('POST', '/v2/customers', body);
    expect(again.body.customer.id).toBe(first.body.customer.id);
    const reused = await sim.call('POST', '/v2/customers', { ...body, given_name: 'Other' });
    expect(reused.status).toBe(400);
    expect(reused.body.errors[0]).toMatchObject({
      code: 'IDEMPOTENCY_KEY_REUSED',
      field: 'idempotency_key',
    });
  });

  it('refuses a customer with no name, email or phone, and a malformed email', async () => {
    const empty = await sim.call('POST', '/v2/customers', { note: 'x' });
    expect(empty.status).toBe(400);
    expect(empty.body.errors[0].code).toBe('MISSING_REQUIRED_PARAMETER');
    const email = await sim.call('POST', '/v2/customers', {
      given_name: 'A',
      email_address: 'not-an-email',
    });
    expect(email.body.errors[0]).toMatchObject({
      code: 'INVALID_EMAIL_ADDRESS',
      field: 'email_address',
    });
  });
});
