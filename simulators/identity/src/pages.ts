import { createHash } from 'node:crypto';
import type { DemoUser } from './demoUsers.js';
import { roleScopes } from './demoUsers.js';

// The provider's pages: plain server-rendered HTML, no external assets, no script of their own.

const stylesheet = `
body{font:16px/1.5 system-ui,sans-serif;margin:0;padding:2rem 1rem;background:#f4f6f8;color:#1b1f24}
main{max-width:34rem;margin:0 auto;background:#fff;padding:1.5rem 2rem;border-radius:8px;box-shadow:0 1px 3px #0002}
h1{font-size:1.4rem;margin-top:0}
.notice{background:#fff4d6;border-left:4px solid #c98a00;padding:.5rem .75rem}
.error{background:#fde8e8;border-left:4px solid #b3261e;padding:.5rem .75rem;font-weight:600}
label{display:block;font-weight:600;margin-top:1rem}
input{font:inherit;width:100%;box-sizing:border-box;padding:.5rem;border:1px solid #6b7280;border-radius:4px}
input:focus,button:focus{outline:3px solid #2563eb;outline-offset:2px}
button{font:inherit;margin-top:1.25rem;margin-right:.5rem;padding:.5rem 1.25rem;border:0;border-radius:4px;background:#1d4ed8;color:#fff;cursor:pointer}
button.secondary{background:#e5e7eb;color:#1b1f24}
table{border-collapse:collapse;width:100%;margin-top:.5rem;font-size:.9rem}
th,td{text-align:left;padding:.25rem .5rem;border-bottom:1px solid #e5e7eb;vertical-align:top}
code{font-size:.9em}
`;

const styleHash = createHash('sha256').update(stylesheet).digest('base64');

/**
 * The pages' Content-Security-Policy: nothing loads but the one inline stylesheet (by its hash),
 * no page may frame them, and forms post only to the provider and to `formTargets` (the origins
 * the browser is sent on to after signing in or out: Chromium checks a form's redirects too).
 * `script-src 'strict-dynamic'` alone allows no script; oidc-provider adds the hash of the one
 * inline script of its `form_post` pages, which then runs and nothing else.
 */
export function contentSecurityPolicy(formTargets: readonly string[]): string {
  return [
    "default-src 'none'",
    `style-src 'sha256-${styleHash}'`,
    "script-src 'strict-dynamic'",
    `form-action 'self' ${formTargets.join(' ')}`.trim(),
    "frame-ancestors 'none'",
    "base-uri 'none'",
  ].join('; ');
}

/** Escapes text for HTML content and quoted attribute values. */
function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** A whole page around `body` (already HTML). */
function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · Booking Platform development sign-in</title>
<style>${stylesheet}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

const developmentNotice =
  '<p class="notice">Development identity provider: demo users with public passwords, ' +
  'never real patients.</p>';

export interface LoginPageInput {
  /** Where the form posts. */
  action: string;
  /** The application asking, by name. */
  clientName: string;
  users: readonly DemoUser[];
  /** What was typed last time, shown again after a wrong password. */
  username?: string;
  failed?: boolean;
}

function userTable(users: readonly DemoUser[]): string {
  const rows = users
    .map(
      (u) =>
        `<tr><td><code>${escapeHtml(u.username)}</code></td><td><code>${escapeHtml(u.password)}</code></td>` +
        `<td>${escapeHtml(`${u.givenName} ${u.familyName}`)}</td><td>${u.role}</td>` +
        `<td>${roleScopes[u.role].map((s) => `<code>${s}</code>`).join(' ')}</td></tr>`,
    )
    .join('\n');
  return `<table>
<caption>Demo users</caption>
<thead><tr><th scope="col">Username</th><th scope="col">Password</th><th scope="col">Name</th><th scope="col">Role</th><th scope="col">May be granted</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>`;
}

/** The sign-in form, with the demo users beside it; after a wrong password, with the message. */
export function loginPage(input: LoginPageInput): string {
  const error = input.failed
    ? '<p class="error" id="sign-in-error" role="alert">Wrong username or password.</p>'
    : '';
  const invalid = input.failed ? ' aria-invalid="true" aria-describedby="sign-in-error"' : '';
  return page(
    'Sign in',
    `<h1>Sign in to ${escapeHtml(input.clientName)}</h1>
${developmentNotice}
${error}
<form method="post" action="${escapeHtml(input.action)}">
<label for="username">Username</label>
<input id="username" name="username" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${escapeHtml(input.username ?? '')}"${invalid}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}>
<button type="submit">Sign in</button>
</form>
${userTable(input.users)}`,
  );
}

/** Asks before signing out; `form` is oidc-provider's (its id `op.logoutForm`, with its CSRF token). */
export function logoutPage(form: string, clientName: string | undefined): string {
  const from = clientName ? ` of ${escapeHtml(clientName)}` : '';
  return page(
    'Sign out',
    `<h1>Sign out${from}?</h1>
${form}
<button type="submit" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>
<button type="submit" form="op.logoutForm" class="secondary">Stay signed in</button>`,
  );
}

/** After signing out, when the application gave no address to return to. */
export function signedOutPage(): string {
  return page('Signed out', '<h1>You are signed out</h1><p>You can close this page.</p>');
}

/** An OAuth error the browser cannot be sent back with (an unknown client or redirect URI, …). */
export function errorPage(error: string, description: string | undefined): string {
  return page(
    'Sign-in failed',
    `<h1>Sign-in could not continue</h1>
<p class="error" role="alert"><code>${escapeHtml(error)}</code>${description ? `: ${escapeHtml(description)}` : ''}</p>
<p>Start again from the application.</p>`,
  );
}
