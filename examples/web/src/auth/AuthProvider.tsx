import type { User, UserManager } from 'oidc-client-ts';
import { createContext, type ReactNode, useContext, useEffect, useMemo, useState } from 'react';
import type { SignInState } from './finishRedirect.js';

export interface Auth {
  /** The signed-in patient's name as the identity provider gives it; null when signed out. */
  patientName: string | null;
  /** What the identity provider says of the patient, to fill in the booking form with. */
  patient: { givenName?: string; familyName?: string };
  /** Why the patient is not (or no longer) signed in, for people; null when nothing to say. */
  problem: string | null;
  /**
   * Sends the patient to the identity provider; `keep` (any JSON) comes back as `kept` after
   * the redirect, e.g. what the page was showing.
   */
  signIn(keep?: unknown): Promise<void>;
  /** What `signIn` was given, right after the redirect back; undefined otherwise. */
  kept: unknown;
  signOut(): Promise<void>;
}

const AuthContext = createContext<Auth | null>(null);

/** The signed-in patient, for any component below `AuthProvider`. */
export function useAuth(): Auth {
  const auth = useContext(AuthContext);
  if (!auth) throw new Error('useAuth is used outside AuthProvider');
  return auth;
}

function nameOf(user: User | null): string | null {
  if (!user) return null;
  const { name, given_name, preferred_username, sub } = user.profile;
  return name ?? given_name ?? preferred_username ?? sub;
}

/**
 * Who is signed in, kept current by the user manager's events. The user manager renews the
 * access token with the refresh token before it expires; one that expires all the same (the
 * sign-in ended at the identity provider) signs the patient out of the page, with a word on why.
 */
export function AuthProvider(props: {
  userManager: UserManager;
  initial: SignInState;
  children: ReactNode;
}) {
  const { userManager } = props;
  const [user, setUser] = useState<User | null>(props.initial.user);
  const [problem, setProblem] = useState<string | null>(props.initial.problem);

  useEffect(() => {
    const loaded = (next: User) => {
      setUser(next);
      setProblem(null);
    };
    const unloaded = () => setUser(null);
    const expired = () => {
      setProblem('Your session has ended. Sign in again to book.');
      void userManager.removeUser();
    };
    userManager.events.addUserLoaded(loaded);
    userManager.events.addUserUnloaded(unloaded);
    userManager.events.addAccessTokenExpired(expired);
    return () => {
      userManager.events.removeUserLoaded(loaded);
      userManager.events.removeUserUnloaded(unloaded);
      userManager.events.removeAccessTokenExpired(expired);
    };
  }, [userManager]);

  const auth = useMemo<Auth>(
    () => ({
      patientName: nameOf(user),
      patient: {
        ...(user?.profile.given_name && { givenName: user.profile.given_name }),
        ...(user?.profile.family_name && { familyName: user.profile.family_name }),
      },
      problem,
      signIn: (keep) => userManager.signinRedirect(keep === undefined ? {} : { state: keep }),
      kept: props.initial.kept,
      signOut: () => userManager.signoutRedirect(),
    }),
    [user, problem, userManager, props.initial.kept],
  );
  return <AuthContext.Provider value={auth}>{props.children}</AuthContext.Provider>;
}
