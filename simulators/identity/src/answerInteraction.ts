import type http from 'node:http';
import type { SimulatorLogger } from '@booking/simulator-kit';
import { errors, type InteractionDetails, type Provider } from 'oidc-provider';
import { apiResource } from './createProvider.js';
import { checkCredentials, type DemoUser } from './demoUsers.js';
import { grantScopes } from './grantScopes.js';
import { errorPage, loginPage } from './pages.js';

export interface InteractionSettings {
  provider: Provider;
  users: readonly DemoUser[];
  /** Client names by id, for the page's heading. */
  clientNames: ReadonlyMap<string, string>;
  /** The pages' Content-Security-Policy. */
  csp: string;
  logger: SimulatorLogger;
}

const maxFormBytes = 16 * 1024;

function sendHtml(res: http.ServerResponse, status: number, html: string, csp: string): void {
  res.writeHead(status, {
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  });
  res.end(html);
}

async function readForm(req: http.IncomingMessage): Promise<URLSearchParams | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxFormBytes) return undefined;
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

/**
 * Records what the user consents to for the client: the OpenID Connect scopes asked for and the
 * booking API scopes their role allows; the API scopes it does not allow are recorded as refused,
 * so the provider neither asks again nor ever puts them in a token. Consent is given without a
 * page: every client that signs users in here is the platform's own.
 */
async function consent(
  provider: Provider,
  details: InteractionDetails,
  user: DemoUser,
): Promise<string> {
  const decision = grantScopes(String(details.params.scope ?? ''), user.role);
  const existing =
    details.grantId && details.session?.accountId === user.username
      ? await provider.Grant.find(details.grantId)
      : undefined;
  const grant =
    existing ??
    new provider.Grant({ accountId: user.username, clientId: String(details.params.client_id) });
  if (decision.identity.length > 0) grant.addOIDCScope(decision.identity.join(' '));
  if (decision.api.length > 0) grant.addResourceScope(apiResource, decision.api.join(' '));
  if (decision.refused.length > 0)
    grant.rejectResourceScope(apiResource, decision.refused.join(' '));
  return grant.save();
}

/**
 * Answers the provider's interaction pages, `GET /interaction/{uid}` (sign in, or consent given at
 * once) and `POST /interaction/{uid}/login` (the form); `false` for any other request.
 */
export async function answerInteraction(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  settings: InteractionSettings,
): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0]!;
  const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec(path);
  const isPage = req.method === 'GET' && match && !match[2];
  const isForm = req.method === 'POST' && match?.[2];
  if (!match || !(isPage || isForm)) return false;
  const { provider, users, csp, logger } = settings;

  let details: InteractionDetails;
  try {
    details = await provider.interactionDetails(req, res);
    if (details.uid !== match[1]) throw new errors.SessionNotFound('interaction changed');
  } catch (error) {
    if (!(error instanceof errors.SessionNotFound)) throw error;
    const page = errorPage('session_not_found', 'this sign-in expired or was already finished');
    sendHtml(res, 400, page, csp);
    return true;
  }
  const clientId = String(details.params.client_id);
  const clientName = settings.clientNames.get(clientId) ?? clientId;
  const action = `/interaction/${details.uid}/login`;

  if (isPage && details.prompt.name === 'consent') {
    const user = users.find((u) => u.username === details.session?.accountId);
    if (!user) {
      await provider.interactionFinished(req, res, { error: 'login_required' });
      return true;
    }
    const grantId = await consent(provider, details, user);
    await provider.interactionFinished(req, res, { consent: { grantId } });
    return true;
  }
  if (isPage) {
    sendHtml(res, 200, loginPage({ action, clientName, users }), csp);
    return true;
  }

  const form = await readForm(req);
  const username = form?.get('username') ?? '';
  const user = checkCredentials(users, username, form?.get('password') ?? '');
  if (!user) {
    // Whose name was typed only when it is a known user's: anything may be typed there, a
    // personnummer or a password included.
    const known = users.some((candidate) => candidate.username === username);
    logger.warn('sign-in failed', { ...(known && { username }), client: clientId });
    const page = loginPage({ action, clientName, users, username, failed: true });
    sendHtml(res, 200, page, csp);
    return true;
  }
  logger.info('sign-in succeeded', { username: user.username, client: clientId });
  const grantId = await consent(provider, details, user);
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.username }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
  return true;
}
