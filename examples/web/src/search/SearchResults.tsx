import type { AvailabilityFilter, SlotSummaryFragment } from '@varden/booking-sdk';
import { ErrorMessage } from '../errors/ErrorMessage.js';
import { ProviderOutcomes } from './ProviderOutcomes.js';
import { SlotList } from './SlotList.js';
import { useWeekOfSlots } from './useWeekOfSlots.js';

/** Where the list stands, in words (announced to screen readers as it changes). */
function progress(week: ReturnType<typeof useWeekOfSlots>): string {
  const count = week.totalCount ?? 0;
  if (week.searching) return 'Asking every clinic’s booking system…';
  if (week.totalCount === null) return '';
  if (week.loadingMore) return `Loading more times: ${week.slots.length} of ${count}…`;
  if (count === 0) return 'No free times in the coming week. Try another area or a larger radius.';
  return `${count} free ${count === 1 ? 'time' : 'times'}.`;
}

/** A week of free times for the search, how each provider answered, and where the list stands. */
export function SearchResults(props: {
  filter: AvailabilityFilter;
  now: Date;
  onPick: ((slot: SlotSummaryFragment) => void) | null;
}) {
  const week = useWeekOfSlots(props.filter);
  return (
    <section className="results" aria-labelledby="results-heading" aria-busy={week.searching}>
      <h2 id="results-heading">Free times in the coming week</h2>
      <p className="status" aria-live="polite">
        {progress(week)}
      </p>
      {week.error !== null && week.error !== undefined && (
        <ErrorMessage error={week.error} retry={week.retry} />
      )}
      <ProviderOutcomes outcomes={week.outcomes} />
      <SlotList slots={week.slots} now={props.now} onPick={props.onPick} />
    </section>
  );
}
