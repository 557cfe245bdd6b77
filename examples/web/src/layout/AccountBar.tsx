import { useAuth } from '../auth/AuthProvider.js';

/** Who is signed in, and the button to sign in (keeping `keep` across it) or out. */
export function AccountBar(props: { keep: unknown }) {
  const { patientName, signIn, signOut } = useAuth();
  return (
    <div className="account">
      {patientName ? (
        <>
          <span className="signed-in">
            Signed in as <strong>{patientName}</strong>
          </span>
          <button type="button" onClick={() => void signOut()}>
            Sign out
          </button>
        </>
      ) : (
        <button type="button" onClick={() => void signIn(props.keep)}>
          Sign in
        </button>
      )}
    </div>
  );
}
