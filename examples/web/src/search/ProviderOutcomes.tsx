import type { ProviderOutcome as Outcome } from './mergeOutcomes.js';

/** Each status as a patient reads it: whether the provider's times are in the list. */
const statusText: Record<Outcome['status'], string> = {
  OK: 'Answered',
  TIMEOUT: 'Too slow to answer: some or all of its times are missing',
  ERROR: 'Failed: some or all of its times are missing',
  CIRCUIT_OPEN: 'Paused after failures: its times are missing',
  SERVED_FROM_CACHE: 'Not answering: its times are from its last answer',
  SKIPPED: 'Not asked: it has nothing that matches',
};

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const age = (ms: number) =>
  ms < 60_000 ? `${Math.round(ms / 1000)} s ago` : `${Math.round(ms / 60_000)} min ago`;

/**
 * How every provider answered this search and how long it took, so that a slow or failing one
 * (whose times are missing) is visible at once; times answered a little earlier come from the
 * platform's cache (`ageMs`). The table opens by itself when a provider's times are missing.
 */
export function ProviderOutcomes(props: { outcomes: readonly Outcome[] }) {
  const { outcomes } = props;
  if (outcomes.length === 0) return null;
  const troubled = outcomes.filter((o) => o.status !== 'OK' && o.status !== 'SKIPPED');
  const asked = outcomes.filter((o) => o.status !== 'SKIPPED').length;
  const slowest = Math.max(0, ...outcomes.map((o) => o.latencyMs ?? 0));
  return (
    <details className="outcomes" open={troubled.length > 0}>
      <summary>
        {asked} booking systems asked, the slowest took {seconds(slowest)}
        {troubled.length > 0 && (
          <strong className="warning">
            {' '}
            · not answering in full: {troubled.map((o) => o.provider.name).join(', ')}
          </strong>
        )}
      </summary>
      <table>
        <caption className="visually-hidden">How each booking system answered this search</caption>
        <thead>
          <tr>
            <th scope="col">Provider</th>
            <th scope="col">Status</th>
            <th scope="col" className="number">
              Latency
            </th>
          </tr>
        </thead>
        <tbody>
          {outcomes.map((outcome) => (
            <tr key={outcome.provider.id} className={`outcome-${outcome.status.toLowerCase()}`}>
              <th scope="row">{outcome.provider.name}</th>
              <td>
                <span className="badge">{outcome.status}</span> {statusText[outcome.status]}
                {!!outcome.ageMs && outcome.ageMs >= 1000 && <> ({age(outcome.ageMs)})</>}
                {outcome.message && <span className="outcome-message"> · {outcome.message}</span>}
              </td>
              <td className="number">
                {outcome.latencyMs === null ? '–' : seconds(outcome.latencyMs)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
