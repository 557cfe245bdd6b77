import { ErrorMessage } from '../errors/ErrorMessage.js';
import { webLink } from '../format/webLink.js';
import type { BookingNotice } from './useBookingFlow.js';

/** What happened to the patient's last booking step, and the way on (retry, a link, choose again). */
export function BookingNoticeView(props: { notice: BookingNotice; retry: (() => void) | null }) {
  const { notice, retry } = props;
  const retryButton = retry && (
    <button type="button" onClick={retry}>
      Try again
    </button>
  );
  switch (notice.kind) {
    case 'api-error':
      return <ErrorMessage error={notice.error} retry={retry ?? undefined} />;
    case 'slot-taken':
      return (
        <div className="notice notice-error" role="alert">
          <p>
            Sorry, that time is no longer available: someone else took it a moment ago. The list of
            times has been updated; please choose another.
          </p>
        </div>
      );
    case 'hold-expired':
      return (
        <div className="notice notice-error" role="alert">
          <p>
            The time was held for you for a few minutes only, and that has run out. Please choose it
            again.
          </p>
        </div>
      );
    case 'provider-unavailable':
      return (
        <div className="notice notice-error" role="alert">
          <p>
            {notice.providerName}’s booking system is not answering right now
            {notice.retryAfterSeconds !== null &&
              `; try again in ${notice.retryAfterSeconds} seconds`}
            .
          </p>
          {retryButton}
        </div>
      );
    case 'book-on-site':
      return (
        <div className="notice" role="alert">
          <p>{notice.message}</p>
          {webLink(notice.bookingUrl) && (
            <a href={webLink(notice.bookingUrl)} target="_blank" rel="noopener noreferrer">
              Book on the clinic’s site
            </a>
          )}
        </div>
      );
    case 'refused':
      return (
        <div className="notice notice-error" role="alert">
          <p>{notice.message}</p>
        </div>
      );
  }
}
