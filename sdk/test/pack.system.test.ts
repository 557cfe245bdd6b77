import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signDevelopmentToken } from '@booking/gateway';
import { type RunningSystem, startSystem } from '@booking/tools';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sdkManifest from '../src/__generated__/persisted-documents.json' with { type: 'json' };

const run = promisify(execFile);
const sdkDir = fileURLToPath(new URL('..', import.meta.url));
const tsc = join(
  dirname(createRequire(import.meta.url).resolve('typescript/package.json')),
  'bin/tsc',
);

// What a consumer writes: the client from `.`, a document from `./documents`, the manifest.
const script = `
import { BookingApiError, createBookingClient } from '@varden/booking-sdk';
import { ProvidersDocument } from '@varden/booking-sdk/documents';
import manifest from '@varden/booking-sdk/persisted-documents.json' with { type: 'json' };

const booking = createBookingClient({ url: process.argv[2], getToken: async () => process.argv[3] });
const providers = await booking.providers();
const viaExecute = await booking.execute(ProvidersDocument, {});
const hashed = createBookingClient({ url: process.argv[2], persistedDocuments: 'hash' });
console.log(JSON.stringify({
  providers: providers.map((p) => p.name),
  sameViaExecute: viaExecute.providers.length === providers.length,
  byHash: (await hashed.treatments()).length,
  manifestEntries: Object.keys(manifest).length,
  errorClass: new BookingApiError({ message: 'x', code: 'TIMEOUT', operationName: 'X', attempts: 1 }).name,
}));
`;

// Type-checks the published declarations as a strict consumer would, narrowing a result union.
const typed = `
import { createBookingClient, type ReserveSlotMutation } from '@varden/booking-sdk';
import { ReserveSlotDocument, type ReserveSlotMutationVariables } from '@varden/booking-sdk/documents';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';

declare const process: { argv: string[] };
const booking = createBookingClient({ url: process.argv[2] ?? '', timeoutMs: 5000, retry: { attempts: 2 } });
const document: TypedDocumentNode<ReserveSlotMutation, ReserveSlotMutationVariables> = ReserveSlotDocument;
export async function book(slotId: string): Promise<string> {
  const result = await booking.reserveSlot({
    slotId,
    idempotencyKey: 'k',
    patient: { personalIdentityNumber: '19900101-0017', givenName: 'A', familyName: 'B' },
  });
  switch (result.__typename) {
    case 'ReservationResult': return result.reservation.status;
    case 'InvalidInput': return result.field;
    case 'BookingByLink': return result.bookingUrl;
    default: return result.message;
  }
}
export { document };
`;

describe('the packed SDK installed into a scratch project', () => {
  let system: RunningSystem;
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'booking-sdk-pack-'));
    // `npm pack` runs `prepack`, which builds dist/ from the current sources.
    const { stdout } = await run('npm', ['pack', '--json', '--pack-destination', scratch], {
      cwd: sdkDir,
    });
    const [{ filename }] = JSON.parse(stdout) as [{ filename: string }];
    await writeFile(
      join(scratch, 'package.json'),
      JSON.stringify({ name: 'scratch', private: true, type: 'module' }),
    );
    // graphql (a peer) and the one dependency come from the npm cache when it has them.
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', join(scratch, filename)],
      { cwd: scratch },
    );
    system = await startSystem({
      ports: 'free',
      output: () => {},
      colour: false,
      env: { scheduling: { LEDGER_DATA_DIR: 'memory://' } },
    });
  });
  afterAll(async () => {
    await system?.stop();
    if (scratch) await rm(scratch, { recursive: true, force: true });
  });

  it('imports the client, a document and the manifest, and calls the running gateway', async () => {
    await writeFile(join(scratch, 'main.mjs'), script);
    const token = await signDevelopmentToken({
      clientId: 'scratch',
      scopes: ['availability:read'],
    });
    const { stdout } = await run(process.execPath, ['main.mjs', system.graphqlUrl, token], {
      cwd: scratch,
    });
    const result = JSON.parse(stdout) as Record<string, unknown>;
    expect(result).toMatchObject({
      sameViaExecute: true,
      // The packed manifest holds every document the SDK generates.
      manifestEntries: Object.keys(sdkManifest).length,
      errorClass: 'BookingApiError',
    });
    expect(result.providers).toContain('Nordklinik');
    expect(result.byHash).toBeGreaterThan(0);
  });

  it('type-checks a strict consumer that narrows a mutation result union', async () => {
    await writeFile(join(scratch, 'typed.ts'), typed);
    await writeFile(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          types: [],
        },
        files: ['typed.ts'],
      }),
    );
    const checked = await run(process.execPath, [tsc, '-p', 'tsconfig.json'], {
      cwd: scratch,
    }).catch((error: { stdout: string }) => ({ stdout: error.stdout, failed: true }));
    expect(checked.stdout).toBe('');
    expect(checked).not.toHaveProperty('failed');
  });
});
