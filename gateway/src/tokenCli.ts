/**
 * `npm run token -- <scope> [<scope>…] [--client <id>]`: prints a development JWT that the local
 * gateway (`npm start`) accepts, e.g. `npm run token -- availability:read reservations:write`.
 */
import { allScopes, type Scope } from '@booking/server-kit';
import { signDevelopmentToken } from './auth/signDevelopmentToken.js';

const args = process.argv.slice(2);
const clientAt = args.indexOf('--client');
const clientId = clientAt >= 0 ? args[clientAt + 1] : undefined;
const scopes = args.filter((_, i) => clientAt < 0 || (i !== clientAt && i !== clientAt + 1));
if (scopes.length === 0 || (clientAt >= 0 && !clientId)) {
  process.stderr.write(
    `usage: npm run token -- <scope> [<scope>…] [--client <id>]\nscopes: ${allScopes.join(', ')}\n`,
  );
  process.exit(2);
}
try {
  const token = await signDevelopmentToken({
    scopes: scopes as Scope[],
    ...(clientId && { clientId }),
  });
  process.stdout.write(`${token}\n`);
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n`);
  process.exit(2);
}
