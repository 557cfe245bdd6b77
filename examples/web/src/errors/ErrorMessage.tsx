import { useAuth } from '../auth/AuthProvider.js';
import { describeError } from './describeError.js';

/**
 * An API error as an alert: what happened in words, the platform's code for support, and a
 * sign-in button when signing in again is the way out.
 */
export function ErrorMessage(props: { error: unknown; retry?: () => void }) {
  const { signIn } = useAuth();
  const { code, message, signInAgain } = describeError(props.error);
  return (
    <div className="notice notice-error" role="alert">
      <p>
        {message} {code && <span className="error-code">({code})</span>}
      </p>
      {signInAgain ? (
        <button type="button" onClick={() => void signIn()}>
          Sign in again
        </button>
      ) : (
        props.retry && (
          <button type="button" onClick={props.retry}>
            Try again
          </button>
        )
      )}
    </div>
  );
}
