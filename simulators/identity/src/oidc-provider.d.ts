// oidc-provider 9 ships no type declarations (they live in DefinitelyTyped's @types/oidc-provider,
// which this package does not depend on). These describe only the part of its API the identity
// provider uses, as documented in the library's docs/README.md.

declare module 'oidc-provider' {
  import type { EventEmitter } from 'node:events';
  import type { IncomingMessage, ServerResponse } from 'node:http';

  /** Client metadata (OpenID Connect Dynamic Client Registration 1.0 names). */
  export interface ClientMetadata {
    client_id: string;
    client_secret?: string;
    client_name?: string;
    application_type?: 'web' | 'native';
    redirect_uris?: string[];
    post_logout_redirect_uris?: string[];
    grant_types?: string[];
    response_types?: string[];
    token_endpoint_auth_method?: string;
    /** Space-separated scopes the client may ask for (only the provider's own `scopes` are checked). */
    scope?: string;
  }

  export interface Client {
    readonly clientId: string;
    readonly clientName?: string;
    readonly clientAuthMethod: string;
    readonly redirectUris: readonly string[];
    readonly postLogoutRedirectUris: readonly string[];
    grantTypeAllowed(grantType: string): boolean;
  }

  export interface OIDCContext {
    readonly client?: Client;
    readonly route?: string;
    readonly entities: { readonly RotatedRefreshToken?: { readonly remainingTTL: number } };
  }

  /** The Koa context oidc-provider hands its helpers, with the few members used here. */
  export interface KoaContextWithOIDC {
    readonly oidc: OIDCContext;
    readonly host: string;
    type: string;
    body: unknown;
    status: number;
    set(field: string, value: string): void;
  }

  export type Middleware = (ctx: KoaContextWithOIDC, next: () => Promise<void>) => Promise<void>;

  export interface Account {
    accountId: string;
    claims(use: string, scope: string): Promise<Record<string, unknown>>;
  }

  /** What `features.resourceIndicators.getResourceServerInfo` answers for one API. */
  export interface ResourceServer {
    /** The scopes the API knows, space-separated. */
    scope: string;
    audience?: string;
    accessTokenTTL?: number;
    accessTokenFormat?: 'opaque' | 'jwt';
    jwt?: { sign?: { alg?: string; kid?: string } };
  }

  /** The error `renderError` shows: OAuth's `error` and `error_description`. */
  export interface ErrorOut {
    error: string;
    error_description?: string;
    [key: string]: string | undefined;
  }

  type TtlFunction = (
    ctx: KoaContextWithOIDC | undefined,
    token: unknown,
    client: Client,
  ) => number;

  export interface Configuration {
    adapter?: unknown;
    clients?: ClientMetadata[];
    clientDefaults?: { id_token_signed_response_alg?: string };
    clientBasedCORS?: (ctx: KoaContextWithOIDC, origin: string, client: Client) => boolean;
    claims?: Record<string, string[] | null>;
    scopes?: string[];
    responseTypes?: string[];
    conformIdTokenClaims?: boolean;
    cookies?: {
      keys?: string[];
      long?: { httpOnly?: boolean; sameSite?: 'lax' | 'strict' | 'none' };
      short?: { httpOnly?: boolean; sameSite?: 'lax' | 'strict' | 'none' };
    };
    features?: {
      devInteractions?: { enabled: boolean };
      clientCredentials?: { enabled: boolean };
      userinfo?: { enabled: boolean };
      revocation?: { enabled: boolean };
      resourceIndicators?: {
        enabled: boolean;
        defaultResource?: (ctx: KoaContextWithOIDC, client: Client, oneOf?: string[]) => unknown;
        useGrantedResource?: (ctx: KoaContextWithOIDC, model: unknown) => unknown;
        getResourceServerInfo?: (
          ctx: KoaContextWithOIDC,
          resourceIndicator: string,
          client: Client,
        ) => Promise<ResourceServer>;
      };
      rpInitiatedLogout?: {
        enabled: boolean;
        logoutSource?: (ctx: KoaContextWithOIDC, form: string) => Promise<void>;
        postLogoutSuccessSource?: (ctx: KoaContextWithOIDC) => Promise<void>;
      };
    };
    findAccount?: (
      ctx: KoaContextWithOIDC,
      sub: string,
      token?: unknown,
    ) => Promise<Account | undefined>;
    issueRefreshToken?: (ctx: KoaContextWithOIDC, client: Client, code: unknown) => boolean;
    jwks?: { keys: object[] };
    pkce?: { required?: (ctx: KoaContextWithOIDC, client: Client) => boolean };
    renderError?: (ctx: KoaContextWithOIDC, out: ErrorOut, error: Error) => Promise<void>;
    ttl?: Record<string, number | TtlFunction>;
  }

  export interface InteractionDetails {
    readonly uid: string;
    readonly prompt: {
      readonly name: string;
      readonly reasons: readonly string[];
      readonly details: Record<string, unknown>;
    };
    readonly params: Record<string, unknown>;
    readonly session?: { readonly accountId: string; readonly uid: string };
    readonly grantId?: string;
  }

  export interface InteractionResults {
    login?: { accountId: string; remember?: boolean; amr?: string[] };
    consent?: { grantId?: string };
    error?: string;
    error_description?: string;
  }

  export interface Grant {
    addOIDCScope(scope: string): void;
    addResourceScope(resource: string, scope: string): void;
    rejectResourceScope(resource: string, scope: string): void;
    save(): Promise<string>;
  }

  export interface GrantConstructor {
    new (properties: { accountId: string; clientId: string }): Grant;
    find(id: string): Promise<Grant | undefined>;
  }

  /** The authorization server; a Koa application, so an event emitter (`server_error`). */
  export class Provider extends EventEmitter {
    constructor(issuer: string, configuration?: Configuration);
    readonly issuer: string;
    readonly Grant: GrantConstructor;
    /** A `node:http` request listener. */
    callback(): (req: IncomingMessage, res: ServerResponse) => Promise<void>;
    /** Middleware run before the provider's own. */
    use(middleware: Middleware): this;
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>;
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: InteractionResults,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>;
  }

  export namespace errors {
    class OIDCProviderError extends Error {
      readonly error: string;
      readonly error_description?: string;
      readonly status: number;
    }
    class InvalidTarget extends OIDCProviderError {
      constructor(description?: string);
    }
    class SessionNotFound extends OIDCProviderError {}
  }

  export default Provider;
}

declare module 'oidc-provider/lib/adapters/memory_adapter.js' {
  /** The library's in-memory storage, one store per call (its default shares one per process). */
  export function createMemoryAdapter(clockTolerance?: number): unknown;
}
