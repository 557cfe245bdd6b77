/**
 * Client tokens for local use:
 *
 *   npm run token -- <scope> [<scope>…] [--client <id>] [--subject <patient>]
 *       a JWT the development gateway (`npm start`) accepts; with `--subject`, a patient's token
 *       (it reaches only that patient's reservations);
 *   npm run token -- --new-key
 *       a new signing key: the private JWK (keep it) and AUTH_JWT_PUBLIC_KEYS for a gateway
 *       (e.g. the docker compose stack, which refuses the development key);
 *   npm run token -- <scope>… --key <private-jwk.json> --issuer <issuer> [--client <id>]
 *       a JWT signed with that key.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { allScopes, type Scope } from '@booking/server-kit';
import { newSigningKey, signToken } from './auth/signToken.js';

const usage = `usage: npm run token -- <scope> [<scope>…] [--client <id>] [--subject <patient>] [--key <private-jwk.json> --issuer <issuer>]
       npm run token -- --new-key
scopes: ${allScopes.join(', ')}\n`;

try {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      client: { type: 'string' },
      subject: { type: 'string' },
      key: { type: 'string' },
      issuer: { type: 'string' },
      'new-key': { type: 'boolean' },
    },
  });
  if (values['new-key']) {
    const { privateJwk, publicJwks } = await newSigningKey(`booking-${Date.now()}`);
    process.stdout.write(`${JSON.stringify(privateJwk)}\n`);
    process.stderr.write(
      `Above: the private key; save it (e.g. to .signing-key.json, git-ignored) and keep it secret.\nFor the gateway (.env):\nAUTH_JWT_PUBLIC_KEYS='${JSON.stringify(publicJwks)}'\n`,
    );
  } else {
    if (positionals.length === 0 || Boolean(values.key) !== Boolean(values.issuer)) {
      process.stderr.write(usage);
      process.exit(2);
    }
    const token = await signToken({
      scopes: positionals as Scope[],
      ...(values.client && { clientId: values.client }),
      ...(values.subject && { subject: values.subject }),
      ...(values.key && { privateJwk: JSON.parse(readFileSync(values.key, 'utf8')) }),
      ...(values.issuer && { issuer: values.issuer }),
    });
    process.stdout.write(`${token}\n`);
  }
} catch (error) {
  process.stderr.write(`${(error as Error).message}\n${usage}`);
  process.exit(2);
}
