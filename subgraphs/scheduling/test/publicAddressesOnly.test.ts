import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import {
  isInternalAddress,
  publicAddressesOnly,
} from '../src/access/webhooks/publicAddressesOnly.js';
import { sendWebhook } from '../src/access/webhooks/sendWebhook.js';
import { createPatientCipher } from '../src/engines/createPatientCipher.js';
import { createCursorSealer } from '../src/engines/cursors.js';
import { createWebhookManager } from '../src/manager/createWebhookManager.js';

describe('webhooks reach public addresses only (production)', () => {
  it('tells internal addresses from public ones', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.20.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fd00::1',
      'fe80::1',
      '::ffff:7f00:1',
    ]) {
      expect(isInternalAddress(address), address).toBe(true);
    }
    for (const address of ['8.8.8.8', '193.10.1.1', '2a00:1450:4001::1']) {
      expect(isInternalAddress(address), address).toBe(false);
    }
  });

  it('refuses at connect time a name that resolves to an internal address, before sending anything', async () => {
    let reached = 0;
    const server = http.createServer((_req, res) => {
      reached += 1;
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const sent = await sendWebhook(
      {
        url: `http://localhost:${port}/hook`,
        secret: `whsec_${Buffer.alloc(32, 3).toString('base64')}`,
        id: 'evt',
        timestamp: new Date(),
        body: '{}',
      },
      { timeoutMs: 2000, dispatcher: publicAddressesOnly() },
    );
    expect(sent).toEqual({
      delivered: false,
      status: null,
      error: 'refused: the URL does not resolve to a public address',
    });
    expect(reached).toBe(0);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuses to register an internal address literal in production', async () => {
    const manager = createWebhookManager({
      store: {} as never,
      cipher: createPatientCipher(Buffer.alloc(32, 7).toString('base64')),
      cursors: createCursorSealer(Buffer.alloc(32, 1)),
      production: true,
      wake: () => undefined,
      now: Date.now,
    });
    const backend = { clientId: 'app', subject: null, admin: false };
    for (const url of [
      'https://169.254.169.254/latest',
      'https://10.0.0.5/hook',
      'https://[::1]/hook',
      'http://127.0.0.1:8080/hook',
    ]) {
      await expect(manager.create(backend, { url }), url).rejects.toThrow(/url:/);
    }
  });
});
