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
   */
  takeSlotElsewhere(connectionId: string, slotId: string): Promise<void>;
  /** Stops the subgraph and the simulator. */
  stop(): Promise<void>;
}
