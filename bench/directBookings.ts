/**
 * Booking without the platform: each clinic system's own API, spoken by the provider's own vendor
 * client and adapter in this process, straight to its simulator. What a client of that system
 * alone would get, and the limit the platform's bookings are measured against.
 */
import { randomUUID } from 'node:crypto';
import { simulatorConnections as cliniq, cliniqProvider } from '@booking/provider-cliniq';
import { simulatorConnections as fhir, fhirProvider } from '@booking/provider-fhir';
import {
  type ConnectionConfig,
  type ContractBookInput,
  type ContractBookingResult,
  connectProvider,
  type EntryOf,
  type ProviderDefinition,
} from '@booking/provider-kit';
import { simulatorConnections as rivta, rivtaProvider } from '@booking/provider-rivta';
import { simulatorConnections as square, squareProvider } from '@booking/provider-square';
import { createLogger } from '@booking/server-kit';
import type { RunningSystem } from '@booking/tools';
import type { z } from 'zod';
import { decodeGlobalId } from '../subgraphs/scheduling/src/engines/globalId.js';
import { patient } from './client.js';

/** As long as the platform gives a provider call in the bench (`PROVIDER_DEADLINE_MS`). */
const deadlineMs = 2000;
const logger = createLogger({ service: 'bench-direct', level: 'silent' });

/** One system's connections to its simulator, booking through its own adapter. */
interface SystemBookings {
  connectionIds: readonly string[];
  book(input: ContractBookInput): Promise<ContractBookingResult>;
  close(): Promise<void>;
}

function systemBookings<F extends z.ZodRawShape, S, C extends ConnectionConfig, T>(
  definition: ProviderDefinition<F, S, C, T>,
  entries: EntryOf<F>[],
): SystemBookings {
  const provider = connectProvider(
    definition,
    { connections: entries, providerDeadlineMs: deadlineMs },
    logger,
  );
  provider.start();
  const { adapter } = provider;
  return {
    connectionIds: provider.connections.map((connection) => connection.id),
    async book(input) {
      const connection = provider.connections.find((c) => c.id === input.connectionId)!;
      if (!adapter.book) throw new Error(`${adapter.system} takes no API bookings`);
      return adapter.book(input, {
        connection,
        signal: AbortSignal.timeout(deadlineMs),
        deadlineAt: Date.now() + deadlineMs,
        scope: adapter.createScope(),
        logger,
      });
    },
    close: () => provider.close(),
  };
}

export interface DirectBookings {
  /** Books the slot a public slot id names at its system; resolves with the system's answer. */
  book(slotId: string): Promise<string>;
  close(): Promise<void>;
}

/** Every system that takes bookings through its API, at the running system's simulators. */
export function connectDirectBookings(system: RunningSystem): DirectBookings {
  const url = (name: string) => system.urls[`simulator-${name}`]!;
  const systems = [
    systemBookings(cliniqProvider, cliniq(url('cliniq'))),
    systemBookings(fhirProvider, fhir(url('fhir'))),
    systemBookings(rivtaProvider, rivta(url('rivta'))),
    systemBookings(squareProvider, square(url('square'))),
  ];
  const byConnection = new Map(
    systems.flatMap((bookings) => bookings.connectionIds.map((id) => [id, bookings] as const)),
  );
  return {
    async book(slotId) {
      const { connectionId, localId } = decodeGlobalId('Slot', slotId, 'slotId');
      const bookings = byConnection.get(connectionId);
      if (!bookings) throw new Error(`${connectionId} takes no API bookings`);
      const result = await bookings.book({
        connectionId,
        slotId: localId,
        reservationId: randomUUID(),
        // As scheduling sends it: the identity number's 12 digits.
        patient: {
          ...patient,
          personalIdentityNumber: patient.personalIdentityNumber.replace('-', ''),
        },
      });
      return result.booking?.status ?? result.error?.code ?? 'NO_ANSWER';
    },
    async close() {
      await Promise.all(systems.map((bookings) => bookings.close()));
    },
  };
}
