import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
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
const require = createRequire(import.meta.url);
const tsc = join(dirname(require.resolve('typescript/package.json')), 'bin/tsc');

// What a consumer writes: the client from `.`, a document from `./documents`, the manifest, the
// Apollo link and cache rules from `./apollo`, the patient check from `./patient`.
const script = `
import { ApolloClient, InMemoryCache } from '@apollo/client';
import {
  BookingApiError,
  bookingErrorCode,
  createBookingClient,
  documentHash,
  validatePatient as fromRoot,
} from '@varden/booking-sdk';
import { createBookingLink, possibleTypes, typePolicies } from '@varden/booking-sdk/apollo';
import { ProvidersDocument } from '@varden/booking-sdk/documents';
import { validatePatient } from '@varden/booking-sdk/patient';
import manifest from '@varden/booking-sdk/persisted-documents.json' with { type: 'json' };

const [url, token] = process.argv.slice(2);
const booking = createBookingClient({ url, getToken: async () => token });
const providers = await booking.providers();
const viaExecute = await booking.execute(ProvidersDocument, {});
const hashed = createBookingClient({ url, persistedDocuments: 'hash' });
const apollo = (getToken) =>
  new ApolloClient({
    link: createBookingLink({ uri: url, getToken }),
    cache: new InMemoryCache({ typePolicies, possibleTypes }),
  });
const viaApollo = await apollo(() => token).query({ query: ProvidersDocument });
const refused = await apollo(() => 'not-a-token')
  .query({ query: ProvidersDocument })
  .catch((error) => error);
const patient = { personalIdentityNumber: '199001010017', givenName: 'Selma', familyName: 'Lagerlöf' };
console.log(JSON.stringify({
  providers: providers.map((p) => p.name),
  sameViaExecute: viaExecute.providers.length === providers.length,
  byHash: (await hashed.treatments()).length,
  viaApollo: viaApollo.data.providers.length,
  refusedCode: bookingErrorCode(refused),
  manifestEntries: Object.keys(manifest).length,
  hashInManifest: documentHash(ProvidersDocument) in manifest,
  patient: validatePatient(patient),
  sameCheck: fromRoot === validatePatient,
  errorClass: new BookingApiError({ message: 'x', code: 'TIMEOUT', operationName: 'X', attempts: 1 }).name,
}));
`;

// Type-checks the published declarations as a strict backend would (Node's module resolution):
// narrowing a result union, loading every page, reading an error code, checking a patient.
const typedBackend = `
import {
  bookingErrorCode,
  type BookingErrorCode,
  createBookingClient,
  loadAllPages,
  maxPageSize,
  type ReserveSlotMutation,
} from '@varden/booking-sdk';
import { ReserveSlotDocument, type ReserveSlotMutationVariables } from '@varden/booking-sdk/documents';
import { type PatientValidation, validatePatient } from '@varden/booking-sdk/patient';
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
export async function slotIds(from: string, to: string): Promise<string[]> {
  const slots = await loadAllPages((after) =>
    booking.availability({ filter: { from, to }, first: maxPageSize, after }),
  );
  return slots.map((slot) => slot.id);
}
export const codeOf = (error: unknown): BookingErrorCode | null => bookingErrorCode(error);
export const fieldOf = (checked: PatientValidation): string =>
  checked.ok ? checked.patient.kind : checked.field;
export const checked = validatePatient({ personalIdentityNumber: '', givenName: '', familyName: '' });
export { document };
`;

// Type-checks them as a strict web page would (a bundler's module resolution): Apollo Client with
// the SDK's link and cache rules, a typed mutation narrowed, the patient checked first.
const typedWeb = `
import { ApolloClient, InMemoryCache } from '@apollo/client';
import { bookingErrorCode, documentHash, validatePatient } from '@varden/booking-sdk';
import { type BookingLinkOptions, createBookingLink, possibleTypes, typePolicies } from '@varden/booking-sdk/apollo';
import { ConfirmReservationDocument } from '@varden/booking-sdk/documents';

const options: BookingLinkOptions = { uri: '/graphql', getToken: async () => null, retry: { attempts: 4 } };
const client = new ApolloClient({
  link: createBookingLink(options),
  cache: new InMemoryCache({ typePolicies, possibleTypes }),
});
export async function confirm(reservationId: string, personalIdentityNumber: string): Promise<string> {
  const patient = { personalIdentityNumber, givenName: 'A', familyName: 'B' };
  const checked = validatePatient(patient);
  if (!checked.ok) return checked.field;
  try {
    const { data } = await client.mutate({
      mutation: ConfirmReservationDocument,
      variables: { input: { reservationId, patient, idempotencyKey: crypto.randomUUID() } },
    });
    const result = data?.confirmReservation;
    return result?.__typename === 'ReservationResult' ? result.reservation.status : (result?.message ?? '');
  } catch (error) {
    return bookingErrorCode(error) ?? 'not an API error';
  }
}
export const hash: string | undefined = documentHash(ConfirmReservationDocument);
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
    // graphql (a peer) and the dependencies come from the npm cache when it has them.
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--prefer-offline', join(scratch, filename)],
      { cwd: scratch },
    );
    // Apollo Client (the optional peer of `./apollo`) is the consumer's own: the repository's.
    await mkdir(join(scratch, 'node_modules/@apollo'), { recursive: true });
    await symlink(
      dirname(require.resolve('@apollo/client/package.json')),
      join(scratch, 'node_modules/@apollo/client'),
      'dir',
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

  it('imports every entry point and calls the running gateway with the client and with Apollo Client', async () => {
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
      hashInManifest: true,
      refusedCode: 'UNAUTHENTICATED',
      patient: { ok: true, patient: { personalIdentityNumber: '199001010017' } },
      sameCheck: true,
      errorClass: 'BookingApiError',
    });
    expect(result.providers).toContain('Nordklinik');
    expect(result.byHash).toBeGreaterThan(0);
    expect(result.viaApollo).toBe((result.providers as string[]).length);
  });

  it.each([
    ['backend (Node module resolution)', typedBackend, 'NodeNext', 'NodeNext'],
    ['web page with Apollo Client (bundler module resolution)', typedWeb, 'ESNext', 'Bundler'],
  ])('type-checks a strict %s consumer', async (_, source, module, moduleResolution) => {
    await writeFile(join(scratch, 'typed.ts'), source);
    await writeFile(
      join(scratch, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          strict: true,
          noEmit: true,
          target: 'ES2023',
          lib: ['ES2023', 'DOM'],
          module,
          moduleResolution,
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
