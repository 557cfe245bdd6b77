import type { AvailabilityFilter } from '@varden/booking-sdk';
import { useState } from 'react';
import { useAuth } from './auth/AuthProvider.js';
import { BookingPanel } from './booking/BookingPanel.js';
import { useBookingFlow } from './booking/useBookingFlow.js';
import { AccountBar } from './layout/AccountBar.js';
import { MyBookings } from './reservations/MyBookings.js';
import { restoreSearch } from './search/restoreSearch.js';
import { SearchForm } from './search/SearchForm.js';
import { SearchResults } from './search/SearchResults.js';
import { type Search, weekFilter } from './search/weekFilter.js';

interface Shown {
  search: Search;
  filter: AvailabilityFilter;
  /** When the search was made: its window, its day headings and "today" agree on it. */
  now: Date;
}

const show = (search: Search): Shown => {
  const now = new Date();
  return { search, filter: weekFilter(search, now), now };
};

/**
 * The booking page: anyone finds a time; a signed-in patient books it and sees their bookings.
 * A search made before signing in is kept across the sign-in and shown again after it.
 */
export function App() {
  const { patientName, problem, signIn, kept } = useAuth();
  const flow = useBookingFlow();
  const [shown, setShown] = useState<Shown | null>(() => {
    const restored = restoreSearch(kept);
    return restored && show(restored);
  });
  const signedIn = patientName !== null;
  const busy = flow.step.kind === 'holding' || flow.step.kind === 'confirming';

  return (
    <>
      <header className="site-header">
        <p className="brand">
          Vården <span>Boka tid</span>
        </p>
        <AccountBar keep={shown?.search} />
      </header>
      <main className="layout">
        <section className="search" aria-labelledby="page-heading">
          <h1 id="page-heading">Book an appointment</h1>
          {problem && (
            <p className="notice notice-error" role="alert">
              {problem}
            </p>
          )}
          <SearchForm
            initial={shown?.search ?? null}
            onSearch={(search) => setShown(show(search))}
          />
          {!signedIn && (
            <div className="notice">
              <p>Anyone may look for a time; sign in to book one and to see your bookings.</p>
              <button type="button" className="primary" onClick={() => void signIn(shown?.search)}>
                Sign in to book
              </button>
            </div>
          )}
        </section>
        <aside className="side">
          <BookingPanel flow={flow} now={shown?.now ?? new Date()} />
          {signedIn && <MyBookings now={shown?.now ?? new Date()} />}
        </aside>
        {shown && (
          <SearchResults
            key={shown.now.getTime()}
            filter={shown.filter}
            now={shown.now}
            onPick={signedIn && !busy ? (slot) => void flow.hold(slot) : null}
          />
        )}
      </main>
      <footer className="site-footer">
        <p>
          A demo of <code>@varden/booking-sdk</code> with Apollo Client: every time comes from the
          Booking Platform, across every clinic’s booking system.
        </p>
      </footer>
    </>
  );
}
