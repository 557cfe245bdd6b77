import { describe, expect, it } from 'vitest';
import { defaultSellers } from '../src/seed.js';

describe.each(defaultSellers.map((seller) => [seller.businessName, seller] as const))(
  '%s',
  (_, seller) => {
    const members = new Map(seller.teamMembers.map((m) => [m.id, m]));
    const locations = new Set(seller.locations.map((l) => l.id));
    const variations = seller.services.flatMap((s) => s.variations);

    it('keeps ids within the lengths of Square’s document (location 32, team member 32, variation 36)', () => {
      for (const id of locations) expect(id.length).toBeLessThanOrEqual(32);
      for (const id of members.keys()) expect(id.length).toBeLessThanOrEqual(32);
      for (const v of variations) expect(v.id.length).toBeLessThanOrEqual(36);
    });

    it('names only its own team members and locations', () => {
      for (const member of members.values()) expect(locations.has(member.locationId)).toBe(true);
      for (const v of variations)
        for (const id of v.teamMemberIds) expect(members.has(id)).toBe(true);
    });

    it('gives every bookable team member something to book, and every location someone to book', () => {
      for (const member of [...members.values()].filter((m) => m.isBookable)) {
        expect(variations.some((v) => v.teamMemberIds.includes(member.id))).toBe(true);
      }
      for (const location of locations) {
        expect([...members.values()].some((m) => m.isBookable && m.locationId === location)).toBe(
          true,
        );
      }
    });
  },
);

it('gives each seller its own access token and merchant id', () => {
  expect(new Set(defaultSellers.map((s) => s.accessToken)).size).toBe(defaultSellers.length);
  expect(new Set(defaultSellers.map((s) => s.merchantId)).size).toBe(defaultSellers.length);
});
