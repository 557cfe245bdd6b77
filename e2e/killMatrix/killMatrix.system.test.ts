import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { signDevelopmentToken } from '@booking/gateway';
import { type RunningSystem, startSystem } from '@booking/tools';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestPostgresDatabase } from '../../subgraphs/scheduling/test/ledgerDatabases.js';
import {
  cliniqView,
  countsFor,
  type ProviderView,
  type PublicSlot,
  rivtaView,
} from './providerViews.js';

const patient = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Nils',
  familyName: 'Holgersson',
};
const result = `__typename ... on ReservationResult { reservation { id status } }`;
const mutations = {
  hold: `mutation ($input: HoldSlotInput!) { holdSlot(input: $input) { ${result} } }`,
  confirm: `mutation ($input: ConfirmReservationInput!) { confirmReservation(input: $input) { ${result} } }`,
  reserve: `mutation ($input: ReserveSlotInput!) { reserveSlot(input: $input) { ${result} } }`,
  cancel: `mutation ($input: CancelReservationInput!) { cancelReservation(input: $input) { ${result} } }`,
};
type Operation = keyof typeof mutations;
type Ledger = 'PostgreSQL' | 'embedded';
interface GraphQLBody {
  // biome-ignore lint/suspicious/noExplicitAny: tests walk untyped GraphQL results by path
  data?: any;
  errors?: { extensions?: { code?: string } }[];
}
/** The status each operation ends in when it succeeds. */
const succeeded: Record<Operation, string> = {
  hold: 'HELD',
  confirm: 'CONFIRMED',
  reserve: 'CONFIRMED',
  cancel: 'CANCELLED',
};
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** How long the provider sits on a write it has performed, before answering: the kill's window. */
const answerDelayMs = 1500;
const killAfterMs = 700;

interface Case {
  provider: 'cliniq' | 'rivta';
  operation: Operation;
  /** A service to kill -9 and start again, or `database`: every ledger connection terminated. */
  victim: string;
}

/**
 * The kill matrix: for each provider system and each booking operation, one part of the platform
 * is killed while the provider has performed the write but not yet answered — the moment where a
 * booking is most easily lost or orphaned. The killed part is started again, the client repeats
 * its request with the same idempotency key (the documented recovery), and once reconciliation
 * has settled the reservation the ledger and the provider must agree: nothing lost (confirmed in
 * the ledger but not booked at the provider), orphaned (booked at the provider but not confirmed
 * in the ledger) or duplicated (a slot booked twice, or two live reservations of one slot).
 */
const killMatrix = (ledger: Ledger, cases: readonly Case[]) =>
  describe(`the kill matrix (${ledger} ledger): a killed part loses, orphans and duplicates no booking`, () => {
    let system: RunningSystem;
    let database: { url: string; drop: () => Promise<void> } | undefined;
    let sql: pg.Pool | undefined;
    let embeddedDir: string | undefined;
    let token: string;
    const free: Record<Case['provider'], PublicSlot[]> = { cliniq: [], rivta: [] };
    const views: Record<Case['provider'], ProviderView> = {
      cliniq: cliniqView(() => system.urls['simulator-cliniq']!),
      rivta: rivtaView(() => system.urls['simulator-rivta']!),
    };
    const findings: string[] = [];
    let counter = 0;

    async function graphql(query: string, variables: object) {
      const response = await fetch(system.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ query, variables }),
        signal: AbortSignal.timeout(20_000),
      });
      return (await response.json()) as GraphQLBody;
    }
    /** One mutation: its reservation and status, or why there is none. */
    async function send(operation: Operation, input: object) {
      try {
        const body = await graphql(mutations[operation], { input });
        if (body.errors?.length) return { status: `error:${body.errors[0]!.extensions?.code}` };
        const answer = Object.values(body.data)[0] as {
          __typename: string;
          reservation?: { id: string; status: string };
        };
        return {
          id: answer.reservation?.id,
          status: answer.reservation?.status ?? answer.__typename,
        };
      } catch (error) {
        return { status: `transport:${(error as Error).name}` };
      }
    }
    async function configureSimulator(provider: Case['provider'], config: object) {
      await fetch(`${system.urls[`simulator-${provider}`]}/_admin/config`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(config),
      });
    }
    async function terminateLedgerConnections() {
      await sql!.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid()`,
      );
    }
    /**
     * Every reservation of one slot in the ledger, oldest first, through the public API: this
     * client is a backend client, so `myReservations` lists all of its application's.
     */
    async function ledgerRows(slot: PublicSlot) {
      const { data } = await graphql(
        '{ myReservations(first: 200) { edges { node { id status slot { id } } } } }',
        {},
      );
      return (
        data.myReservations.edges as {
          node: { id: string; status: string; slot: { id: string } };
        }[]
      )
        .map((e) => e.node)
        .filter((r) => r.slot.id === slot.id)
        .reverse();
    }

    async function runCase(c: Case): Promise<string> {
      const slot = free[c.provider].shift()!;
      const key = (label: string) => `kill-${++counter}-${label}`;
      // What the operation acts on, made before anything is killed.
      let input: object;
      if (c.operation === 'hold' || c.operation === 'reserve') {
        input = {
          slotId: slot.id,
          idempotencyKey: key(c.operation),
          ...(c.operation === 'reserve' && { patient }),
        };
      } else {
        const setup =
          c.operation === 'confirm'
            ? await send('hold', { slotId: slot.id, idempotencyKey: key('setup') })
            : await send('reserve', { slotId: slot.id, patient, idempotencyKey: key('setup') });
        expect(setup.status).toBe(c.operation === 'confirm' ? 'HELD' : 'CONFIRMED');
        input = {
          reservationId: setup.id,
          idempotencyKey: key(c.operation),
          ...(c.operation === 'confirm' && { patient }),
        };
      }

      await configureSimulator(c.provider, { responseDelayMs: answerDelayMs });
      const first = send(c.operation, input);
      await sleep(killAfterMs);
      if (c.victim === 'database') await terminateLedgerConnections();
      else await system.processes[c.victim]!.kill();
      const firstAnswer = await first;
      if (c.victim !== 'database') await system.restart(c.victim);
      await configureSimulator(c.provider, { responseDelayMs: 0 });

      // The client repeats with the same key until it has a final answer: a refusal, or a
      // reservation that is not PENDING (not an error, nor a dropped connection).
      const final = (status: string) => status !== 'PENDING' && !status.includes(':');
      let answer = firstAnswer;
      const until = Date.now() + 40_000;
      while (Date.now() < until && !final(answer.status)) {
        await sleep(500);
        answer = await send(c.operation, input);
      }
      // Reconciliation settles whatever is still PENDING.
      let rows = await ledgerRows(slot);
      while (Date.now() < until && rows.some((r) => r.status === 'PENDING')) {
        await sleep(250);
        rows = await ledgerRows(slot);
      }
      const provider = countsFor(views[c.provider], await views[c.provider].state(), slot);
      const live = rows.filter((r) => ['PENDING', 'HELD', 'CONFIRMED'].includes(r.status));
      const last = rows.at(-1)?.status ?? 'none';
      const problems: string[] = [];
      if (provider.duplicates > 0 || provider.bookings > 1 || live.length > 1)
        problems.push('duplicated');
      if (last === 'CONFIRMED' && provider.bookings === 0) problems.push('lost');
      if (provider.bookings === 1 && last !== 'CONFIRMED') problems.push('orphaned');
      if (c.operation === 'hold' && (last === 'HELD') !== (provider.holds === 1))
        problems.push('hold mismatch');
      if (rows.some((r) => r.status === 'PENDING')) problems.push('unsettled');
      // The answer to the interrupted call: a result, or an error the client is told to repeat.
      if (
        firstAnswer.status.startsWith('error:') &&
        firstAnswer.status !== 'error:SERVICE_UNAVAILABLE'
      ) {
        problems.push(`answered ${firstAnswer.status}`);
      }
      if (answer.status !== last && answer.status === succeeded[c.operation])
        problems.push(`told ${answer.status}, ledger ${last}`);
      const line = `${c.provider} ${c.operation} kill ${c.victim}: first ${firstAnswer.status}, client ${answer.status}, ledger ${last}, provider bookings ${provider.bookings} holds ${provider.holds}${problems.length ? ` — ${problems.join(', ')}` : ''}`;
      findings.push(line);
      return problems.join(', ');
    }

    beforeAll(async () => {
      if (ledger === 'PostgreSQL') {
        database = await createTestPostgresDatabase();
        sql = new pg.Pool({ connectionString: database.url, max: 2 });
      } else {
        // On disk, as in production without DATABASE_URL: a killed scheduling restarts over it.
        embeddedDir = await mkdtemp(join(tmpdir(), 'kill-matrix-ledger-'));
      }
      token = await signDevelopmentToken({
        clientId: 'kill-matrix',
        scopes: ['availability:read', 'reservations:read', 'reservations:write'],
      });
      system = await startSystem({
        ports: 'free',
        colour: false,
        output: () => {},
        providerDeadlineMs: 3000,
        env: {
          scheduling: {
            ...(database ? { DATABASE_URL: database.url } : { LEDGER_DATA_DIR: embeddedDir! }),
            RECONCILE_AFTER_MS: '3500',
            RECONCILE_INTERVAL_MS: '500',
          },
        },
      });
      const { data } = await graphql('{ providers { id name system } }', {});
      const from = new Date(Date.now() + 3 * 24 * 3600_000);
      for (const provider of ['cliniq', 'rivta'] as const) {
        const ids = data.providers
          .filter((p: { name: string; system: string }) =>
            provider === 'cliniq'
              ? p.name === 'Nordklinik'
              : p.system.toLowerCase().includes('riv'),
          )
          .map((p: { id: string }) => p.id);
        const found = await graphql(
          'query ($filter: AvailabilityFilter!) { availability(filter: $filter, first: 200) { edges { node { id start bookingMethod } } } }',
          {
            filter: {
              from: from.toISOString(),
              to: new Date(from.getTime() + 10 * 24 * 3600_000).toISOString(),
              providerIds: ids,
            },
          },
        );
        const starts = new Set<string>();
        for (const { node } of found.data.availability.edges) {
          // One slot per start: RIV-TA's bookings are matched to slots by their start.
          if (node.bookingMethod !== 'API' || starts.has(node.start)) continue;
          starts.add(node.start);
          free[provider].push(node);
        }
        expect(free[provider].length).toBeGreaterThan(20);
      }
    }, 240_000);
    afterAll(async () => {
      if (findings.length) {
        process.stdout.write(`kill matrix (${ledger} ledger):\n  ${findings.join('\n  ')}\n`);
      }
      await system?.stop();
      await sql?.end();
      await database?.drop();
      if (embeddedDir) await rm(embeddedDir, { recursive: true, force: true });
    });

    it.each(cases)(
      '$provider $operation, $victim killed mid-write',
      async (c) => {
        expect(await runCase(c)).toBe('');
      },
      120_000,
    );
  });

const everyPart: Case[] = [
  ...(['hold', 'confirm', 'reserve', 'cancel'] as const).flatMap((operation) =>
    ['scheduling', 'provider-cliniq', 'simulator-cliniq'].map((victim) => ({
      provider: 'cliniq' as const,
      operation,
      victim,
    })),
  ),
  ...(['confirm', 'reserve', 'cancel'] as const).flatMap((operation) =>
    ['scheduling', 'provider-rivta', 'simulator-rivta'].map((victim) => ({
      provider: 'rivta' as const,
      operation,
      victim,
    })),
  ),
  { provider: 'cliniq', operation: 'reserve', victim: 'database' },
  { provider: 'cliniq', operation: 'confirm', victim: 'database' },
];
killMatrix('PostgreSQL', everyPart);
// The embedded ledger lives in scheduling's own process: killing it is what matters there.
killMatrix(
  'embedded',
  everyPart.filter((c) => c.victim === 'scheduling'),
);
