import { validateResource } from '@medplum/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { directoryResources } from '../src/directoryResources.js';
import { loadFhirDefinitions } from '../src/loadFhirDefinitions.js';
import { defaultOrganizations } from '../src/seed.js';
import { slotResources } from '../src/slotResources.js';

beforeAll(() => loadFhirDefinitions());

describe('the seed', () => {
  it('is valid R4 throughout (the repository loads it without validating each reset)', () => {
    const resources = [
      ...directoryResources(defaultOrganizations),
      ...slotResources(defaultOrganizations, '2026-10-19', '2026-11-09', {
        seed: 1,
        now: new Date('2026-10-19T08:00:00Z'),
      }),
    ];
    const invalid = resources.flatMap((resource) => {
      try {
        validateResource(resource);
        return [];
      } catch (error) {
        return [`${resource.resourceType}/${resource.id}: ${String(error)}`];
      }
    });
    expect(invalid).toEqual([]);
    expect(resources.length).toBeGreaterThan(2000);
  });

  it('references only resources it contains', () => {
    const resources = [
      ...directoryResources(defaultOrganizations),
      ...slotResources(defaultOrganizations, '2026-10-19', '2026-10-23', {
        seed: 1,
        now: new Date('2026-10-19T08:00:00Z'),
      }),
    ];
    const ids = new Set(resources.map((r) => `${r.resourceType}/${r.id}`));
    const references = JSON.stringify(resources).match(/"reference":"[^"]+"/g) ?? [];
    const dangling = references
      .map((r) => r.slice('"reference":"'.length, -1))
      .filter((reference) => !ids.has(reference));
    expect(dangling).toEqual([]);
  });
});
