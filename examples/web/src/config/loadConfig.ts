/**
 * Where the page finds the API and the sign-in. The page's server answers `/config.json` from
 * its environment (`BOOKING_API_URL`, `IDENTITY_ISSUER`, `IDENTITY_CLIENT_ID`), so one build runs
 * against any deployment.
 */
export interface PageConfig {
  /** The gateway's GraphQL endpoint. */
  apiUrl: string;
  /** The OpenID Connect issuer patients sign in with. */
  issuer: string;
  /** This page's client id at the issuer. */
  clientId: string;
}

/** The page's server answered something that is not a configuration. */
export class PageConfigError extends Error {
  override readonly name = 'PageConfigError';
}

const fields = ['apiUrl', 'issuer', 'clientId'] as const;

export async function loadConfig(): Promise<PageConfig> {
  const response = await fetch('/config.json', { cache: 'no-store' });
  if (!response.ok) throw new PageConfigError(`/config.json answered HTTP ${response.status}`);
  const body: unknown = await response.json();
  const missing = fields.filter(
    (field) => typeof (body as Record<string, unknown> | null)?.[field] !== 'string',
  );
  if (missing.length > 0) throw new PageConfigError(`/config.json lacks ${missing.join(', ')}`);
  const config = body as PageConfig;
  return { apiUrl: config.apiUrl, issuer: config.issuer, clientId: config.clientId };
}
