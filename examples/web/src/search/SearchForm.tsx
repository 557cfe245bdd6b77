import { useQuery } from '@apollo/client/react';
import { TreatmentsDocument } from '@varden/booking-sdk/documents';
import { type FormEvent, useState } from 'react';
import { ErrorMessage } from '../errors/ErrorMessage.js';
import { areas, radiiKm } from './areas.js';
import type { Search } from './weekFilter.js';

/** What to look for: a treatment from the platform's catalogue, and where. */
export function SearchForm(props: { initial: Search | null; onSearch: (search: Search) => void }) {
  const treatments = useQuery(TreatmentsDocument);
  const [treatmentId, setTreatmentId] = useState(props.initial?.treatmentId ?? '');
  const [areaId, setAreaId] = useState(props.initial?.area.id ?? 'stockholm');
  const [radiusKm, setRadiusKm] = useState(props.initial?.radiusKm ?? 10);
  const area = areas.find((candidate) => candidate.id === areaId) ?? areas[0]!;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (treatmentId) props.onSearch({ treatmentId, area, radiusKm });
  }

  if (treatments.error) {
    return (
      <ErrorMessage
        error={treatments.error}
        retry={() => void treatments.refetch().catch(() => undefined)}
      />
    );
  }
  return (
    <form className="search-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor="treatment">Treatment</label>
        <select
          id="treatment"
          required
          value={treatmentId}
          onChange={(event) => setTreatmentId(event.target.value)}
          disabled={!treatments.data}
        >
          <option value="">{treatments.data ? 'Choose a treatment' : 'Loading treatments…'}</option>
          {treatments.data?.treatments.map((treatment) => (
            <option key={treatment.id} value={treatment.id}>
              {treatment.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="area">Area</label>
        <select id="area" value={areaId} onChange={(event) => setAreaId(event.target.value)}>
          {areas.map((candidate) => (
            <option key={candidate.id} value={candidate.id}>
              {candidate.name}
            </option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor="radius">Within</label>
        <select
          id="radius"
          value={radiusKm}
          onChange={(event) => setRadiusKm(Number(event.target.value))}
          disabled={!area.near}
        >
          {radiiKm.map((km) => (
            <option key={km} value={km}>
              {km} km
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="primary" disabled={!treatmentId}>
        Find times
      </button>
    </form>
  );
}
