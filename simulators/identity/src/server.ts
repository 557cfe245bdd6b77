import http from 'node:http';
import { closeAtOnce, listenOn, type SimulatorLogger } from '@booking/simulator-kit';
import type { Provider } from 'oidc-provider';
import { answerInteraction } from './answerInteraction.js';
import { clientMetadata, defaultWebRedirectUris } from './clients.js';
import { createProvider } from './createProvider.js';
import { type DemoUser, demoUsers } from './demoUsers.js';
import { contentSecurityPolicy } from './pages.js';

export {
  backendClientId,
  backendClientSecret,
  defaultWebRedirectUris,
  webClientId,
} from './clients.js';
export { apiAudience, apiResource } from './createProvider.js';
export { type DemoUser, demoUsers, type Role, roleScopes } from './demoUsers.js';

export interface IdentityServerOptions {
  /**
   * The issuer identifier, the `iss` of every token (what the gateway's `AUTH_ISSUER` or trusted
   * issuer names). Default: the base URL it listens on, a wildcard address named `127.0.0.1`
   * (`http://127.0.0.1:4106`).
   */
  issuer?: string;
  /**
   * Absolute URLs the web client (`booking-web`) may be sent back to after signing in and out;
   * their origins may call the token endpoint from a browser. Default: `defaultWebRedirectUris`.
   */
  webRedirectUris?: readonly string[];
  /** Lifetime of access tokens (and ID tokens), in seconds. Default: 900. */
  accessTokenTtlSeconds?: number;
  /** Who can sign in. Default: `demoUsers`. */
  users?: readonly DemoUser[];
  /** Receives one line per sign-in (its username, never a password or token) and per server error. Default: silent. */
  logger?: SimulatorLogger;
}

export interface IdentityServer {
  /** Starts listening; resolves with the base URL, e.g. `http://127.0.0.1:4106`. */
  listen(port: number, host?: string): Promise<string>;
  close(): Promise<void>;
  /** The base URL once listening, else an empty string. */
  readonly url: string;
  /** The issuer identifier once listening, else an empty string. */
  readonly issuer: string;
}

const silentLogger: SimulatorLogger = { info: () => {}, warn: () => {} };

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * The development OpenID Connect provider, in the place of Vården's identity provider: demo users
 * sign in to the web client with authorization code + PKCE, a backend gets client-credentials
 * tokens, and both get JWT access tokens for the booking API. Health at `/health/live` and
 * `/health/ready`; everything else is oidc-provider's (discovery at
 * `/.well-known/openid-configuration`) or its sign-in pages.
 */
export function createIdentityServer(options: IdentityServerOptions = {}): IdentityServer {
  const webRedirectUris = options.webRedirectUris ?? defaultWebRedirectUris;
  const users = options.users ?? demoUsers;
  const logger = options.logger ?? silentLogger;
  const clientNames = new Map(
    clientMetadata(webRedirectUris).map((c) => [c.client_id, c.client_name ?? c.client_id]),
  );
  const csp = contentSecurityPolicy([
    ...new Set(webRedirectUris.map((uri) => new URL(uri).origin)),
  ]);
  let url = '';
  // Made once the issuer is known: by default it is the address the server listens on.
  let provider: Provider | undefined;
  let answerProvider: http.RequestListener | undefined;

  async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/health/live') return sendJson(res, 200, { ok: true });
    if (req.method === 'GET' && path === '/health/ready') {
      return sendJson(res, provider ? 200 : 503, { ok: provider !== undefined });
    }
    if (!provider || !answerProvider) return sendJson(res, 503, { error: 'starting' });
    if (await answerInteraction(req, res, { provider, users, clientNames, csp, logger })) return;
    answerProvider(req, res);
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      logger.warn('request failed', { path: req.url?.split('?')[0], error: String(error) });
      if (res.headersSent) res.destroy();
      else sendJson(res, 500, { error: 'server_error' });
    });
  });

  return {
    get url() {
      return url;
    },
    get issuer() {
      return provider?.issuer ?? '';
    },
    async listen(port, host = '127.0.0.1') {
      const listening = await listenOn(server, port, host);
      url = listening.url;
      const { address } = listening;
      const wildcard = address.address === '0.0.0.0' || address.address === '::';
      provider = createProvider({
        issuer: options.issuer ?? (wildcard ? `http://127.0.0.1:${address.port}` : url),
        webRedirectUris,
        accessTokenTtlSeconds: options.accessTokenTtlSeconds ?? 900,
        users,
        csp,
      });
      provider.on('server_error', (_ctx: unknown, error: unknown) => {
        logger.warn('server error', { error: String(error) });
      });
      answerProvider = provider.callback();
      return url;
    },
    async close() {
      await closeAtOnce(server);
    },
  };
}
