/**
 * The largest page (`first`) of `availability`, `clinics`, `myReservations` and
 * `reservationEvents`: 200 (`availabilityEvents` and `webhookDeliveries` take at most 100).
 */
export const maxPageSize = 200;

/** One page of a paginated list of the API, as every connection of the SDK's documents has it. */
export interface Page<TNode> {
  edges: readonly { node: TNode }[];
  pageInfo: { hasNextPage: boolean; endCursor?: string | null | undefined };
}

/**
 * Every item of a paginated list, in order: asks for the first page (`after` null), then for
 * the page after each page's `endCursor` while `hasNextPage`. Ask for {@link maxPageSize} items a
 * page: a long list then takes a quarter of the requests it takes at the default 50.
 * `fetchPage` must answer exactly the page asked for; with
 * Apollo Client that is a query with `fetchPolicy: 'no-cache'` (the cache's `typePolicies` merge
 * pages into one list, and answer a page with `after` from that list).
 *
 * @example
 * const slots = await loadAllPages((after) =>
 *   booking.availability({ filter, first: maxPageSize, after }),
 * );
 */
export async function loadAllPages<TNode>(
  fetchPage: (after: string | null) => Promise<Page<TNode>>,
): Promise<TNode[]> {
  const nodes: TNode[] = [];
  let after: string | null = null;
  for (;;) {
    const page: Page<TNode> = await fetchPage(after);
    for (const edge of page.edges) nodes.push(edge.node);
    const next = page.pageInfo.endCursor ?? null;
    // A page that does not move the cursor on would be asked for again forever.
    if (!page.pageInfo.hasNextPage || next === null || next === after) return nodes;
    after = next;
  }
}
