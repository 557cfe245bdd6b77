import type { ClientMetadata } from 'oidc-provider';

/** The browser apps' client: public (no secret), authorization code with PKCE S256. */
export const webClientId = 'booking-web';

/** A backend's client: client credentials, any of the booking API's scopes. */
export const backendClientId = 'booking-backend';

/** The backend client's secret. Public, like the whole provider: development only. */
export const backendClientSecret = 'booking-backend-development-secret';

/** Where the demo booking page runs under `npm start`, as a browser may name it. */
export const defaultWebRedirectUris: readonly string[] = [
  'http://127.0.0.1:5173/',
  'http://localhost:5173/',
];

/** The provider's two clients; the web client returns to `webRedirectUris` after sign-in and sign-out. */
export function clientMetadata(webRedirectUris: readonly string[]): ClientMetadata[] {
  return [
    {
      client_id: webClientId,
      client_name: 'Booking Platform web app',
      application_type: 'web',
      token_endpoint_auth_method: 'none',
      grant_types: ['authorization_code', 'refresh_token'],
      response_types: ['code'],
      redirect_uris: [...webRedirectUris],
      post_logout_redirect_uris: [...webRedirectUris],
    },
    {
      client_id: backendClientId,
      client_secret: backendClientSecret,
      client_name: 'Booking Platform backend',
      token_endpoint_auth_method: 'client_secret_basic',
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      // No `scope`: it may ask for any of the booking API's, which its resource server lists.
    },
  ];
}
