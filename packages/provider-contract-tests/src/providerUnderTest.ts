/**
 * What a provider package gives the contract test kit: a way to start its simulator and its
 * subgraph together, in process, on free ports. Each provider's `test/contract.int.test.ts` passes
 * one of these to `runProviderContractSuite`.
 */
export interface ProviderUnderTest {
  /** The provider system's name, e.g. `cliniq` (the subgraph is `provider-<system>`). */
  readonly system: string;
  /**
   * Starts the simulator (seeded relative to `now`, so the suite can place a search across a DST
   * change) and the provider subgraph pointed at it. Both listen on 127.0.0.1 with free ports.
   */
  start(options: { now: Date }): Promise<RunningProvider>;
}

export interface RunningProvider {
  /** The provider subgraph's GraphQL endpoint, e.g. `http://127.0.0.1:54321/graphql`. */
  readonly graphqlUrl: string;
  /** The connection ids the subgraph serves (one per tenant / care unit group). */
  readonly connectionIds: readonly string[];
  /**
   * Makes a free slot unavailable the way another client of the provider's system would (books it
   * directly at the simulator), for conflict tests. Providers without API booking may reject.
   * Absent (a live system): the conflict test is skipped, saying so.
   */
  takeSlotElsewhere?(connectionId: string, slotId: string): Promise<void>;
  /**
   * How the kit reaches the simulator's control protocol (`packages/simulator-kit`, "The control
   * protocol") to inject faults. Absent (a live system): the fault checks are skipped, saying so.
   */
  readonly control?: SimulatorControlEndpoint;
  /** Stops the subgraph and the simulator. */
  stop(): Promise<void>;
}

/** Where a provider's simulator takes `/_admin/faults`, and how it names the connections. */
export interface SimulatorControlEndpoint {
  /** The simulator's base URL, e.g. `http://127.0.0.1:54322`; the kit calls `${url}/_admin/…`. */
  readonly url: string;
  /**
   * The simulator's connection id (tenant, logical address, publisher) for a contract connection
   * id; `*` where the simulator cannot tell the connections apart (one FHIR server).
   */
  connectionOf(connectionId: string): string;
  /**
   * Set when searches do not reach the simulator per request (a provider answering from a copy
   * it ingested): why. The kit then skips the read fault checks with this reason.
   */
  readonly readsServedFromCopy?: string;
}

/** How a run of the suite differs from the default run against a provider's simulator. */
export interface ContractSuiteOptions {
  /**
   * The provider's "now", that searches are placed relative to. Default: `contractSuiteNow`, a
   * week before the autumn DST change of 2026, which the simulators are started with.
   */
  readonly now?: Date;
  /**
   * When set, the checks that write (book, hold, cancel, race) are skipped with this reason: a
   * certification run against a vendor's production system. Default: they run.
   */
  readonly skipWrites?: string;
}
