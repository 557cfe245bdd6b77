import { NetworkStatus } from '@apollo/client';
import { useQuery } from '@apollo/client/react';
import { type AvailabilityFilter, maxPageSize } from '@varden/booking-sdk';
import { AvailabilityDocument } from '@varden/booking-sdk/documents';
import { useEffect, useRef, useState } from 'react';
import { mergeOutcomes, type ProviderOutcome } from './mergeOutcomes.js';

/**
 * Every free slot of the filter's window, across every provider: the first page, then each next
 * page by `fetchMore` until there is none, which the SDK's `typePolicies` append to the list.
 * Each page reports how every provider answered it (a slow one `TIMEOUT`, its times missing);
 * the cache keeps the latest page's report, so the pages' reports are gathered here.
 */
export function useWeekOfSlots(filter: AvailabilityFilter) {
  const query = useQuery(AvailabilityDocument, {
    variables: { filter, first: maxPageSize },
    notifyOnNetworkStatusChange: true,
  });
  const [pageError, setPageError] = useState<unknown>(null);
  const [outcomes, setOutcomes] = useState<ProviderOutcome[]>([]);
  const availability = query.data?.availability;
  const { fetchMore, loading } = query;
  // The list each next page was asked after: one request per answer, however often React renders.
  const askedAfter = useRef<object | null>(null);

  useEffect(() => {
    if (!availability) return;
    // A list of one page is a first page: the list starts again with each search or refresh.
    const page = availability.providerOutcomes;
    const firstPage = availability.edges.length <= maxPageSize;
    setOutcomes((seen) => (firstPage ? page : mergeOutcomes(seen, page)));
    const next = availability.pageInfo.hasNextPage ? availability.pageInfo.endCursor : null;
    if (!next || loading || pageError || askedAfter.current === availability) return;
    askedAfter.current = availability;
    fetchMore({ variables: { after: next } }).catch(setPageError);
  }, [availability, loading, pageError, fetchMore]);

  return {
    slots: availability?.edges.map((edge) => edge.node) ?? [],
    outcomes,
    totalCount: availability?.totalCount ?? null,
    /** The first page is on its way (a new search, or the list being refreshed). */
    searching:
      query.networkStatus === NetworkStatus.loading ||
      query.networkStatus === NetworkStatus.setVariables ||
      query.networkStatus === NetworkStatus.refetch,
    /** More pages are to come. */
    loadingMore: !!availability?.pageInfo.hasNextPage && !pageError,
    error: query.error ?? pageError,
    retry() {
      if (pageError) {
        askedAfter.current = null;
        setPageError(null);
      } else void query.refetch().catch(() => undefined);
    },
  };
}
