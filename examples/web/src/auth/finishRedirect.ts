import type { User, UserManager } from 'oidc-client-ts';

export interface SignInState {
  /** The signed-in patient, or null. */
  user: User | null;
  /** Why signing in failed, for people; null when it did not. */
  problem: string | null;
  /** What the page kept in the sign-in request (`signIn(keep)`), when it was just finished. */
  kept: unknown;
}

/**
 * Reads the sign-in state when the page opens, finishing a redirect back from the identity
 * provider first: `code` and `state` after signing in (`error` when it was refused), `state`
 * alone after signing out. The address is then put back to `/`, so that a reload does not replay
 * the redirect. Runs once, before the page renders.
 */
export async function finishRedirect(userManager: UserManager): Promise<SignInState> {
  const params = new URLSearchParams(window.location.search);
  if (!params.has('state')) {
    const user = await userManager.getUser();
    return { user: user && !user.expired ? user : null, problem: null, kept: undefined };
  }
  try {
    if (params.has('code') || params.has('error')) {
      const user = await userManager.signinRedirectCallback();
      return { user, problem: null, kept: user.state };
    }
    await userManager.signoutRedirectCallback();
    return { user: null, problem: null, kept: undefined };
  } catch (error) {
    const problem = `Signing in did not work: ${(error as Error).message}`;
    return { user: null, problem, kept: undefined };
  } finally {
    window.history.replaceState(null, '', '/');
  }
}
