import { describe, expect, it } from 'vitest';
import { allServices, demoServices, providers } from '../src/registry.js';
import { nextPort } from '../src/scaffold/nextPort.js';

describe('nextPort', () => {
  it('follows the highest port, skipping taken ones', () => {
    expect(nextPort([4101, 4105], new Set())).toBe(4106);
    expect(nextPort([4101, 4105], new Set([4106, 4107]))).toBe(4108);
  });

  it('gives a new simulator a port no service of npm start has', () => {
    const services = [...allServices, ...demoServices];
    const taken = new Set(services.map((service) => service.port));
    const port = nextPort(
      providers.map((p) => p.simulator.port),
      taken,
    );
    expect(services.map((service) => service.port)).not.toContain(port);
  });
});
