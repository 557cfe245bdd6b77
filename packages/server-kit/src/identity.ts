/** The scopes a client can be granted; `admin` includes every other. */
export const Scope = {
  AvailabilityRead: 'availability:read',
  ReservationsRead: 'reservations:read',
  ReservationsWrite: 'reservations:write',
  /** An application's own webhook endpoints and their delivery log (a backend client only). */
  WebhooksManage: 'webhooks:manage',
  Admin: 'admin',
} as const;
export type Scope = (typeof Scope)[keyof typeof Scope];

export const allScopes: readonly Scope[] = Object.values(Scope);

/**
 * Headers through which the gateway tells subgraphs who a request acts for, after it authenticated
 * the client. Subgraphs trust them only on calls that carry the internal secret.
 */
export const identityHeaders = {
  /** The client application: a JWT's `client_id`, `azp` or `sub`, or an API key's id. */
  clientId: 'x-client-id',
  /**
   * The end user the client acts for: a JWT's `sub` when it is not the client itself. Absent for
   * a backend client (client-credentials token or API key), which acts for its whole application.
   */
  subject: 'x-client-subject',
  /** The client's scopes, space-separated. */
  scopes: 'x-client-scopes',
} as const;

/** Whether `granted` allows `scope` (directly or through `admin`). */
export function allows(granted: ReadonlySet<string>, scope: Scope): boolean {
  return granted.has(scope) || granted.has(Scope.Admin);
}

/** Parses a space-separated scope list (OAuth 2.0 `scope` claim style), keeping known scopes only. */
export function parseScopes(text: string | readonly string[] | undefined | null): Set<Scope> {
  const words = typeof text === 'string' ? text.split(/\s+/) : (text ?? []);
  return new Set(words.filter((word): word is Scope => allScopes.includes(word as Scope)));
}
