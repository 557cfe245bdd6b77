import { environmentReader, logLevel, port } from '@booking/server-kit/environment';
import { z } from 'zod';

const httpUrl = z.url({ protocol: /^https?$/ });

const variables = z.object({
  PORT: port(5173),
  HOST: z.string().default('127.0.0.1'),
  LOG_LEVEL: logLevel,
  /** The gateway's GraphQL endpoint, as the browser reaches it. */
  BOOKING_API_URL: httpUrl.default('http://localhost:4000/graphql'),
  /** The OpenID Connect issuer patients sign in with, as the browser reaches it. */
  IDENTITY_ISSUER: httpUrl.default('http://127.0.0.1:4106'),
  IDENTITY_CLIENT_ID: z.string().min(1).default('booking-web'),
});

/** Reads the page server's configuration once; the only reader of `process.env`. */
export const readEnvironment = environmentReader('web', variables, (env) => ({
  port: env.PORT,
  host: env.HOST,
  logLevel: env.LOG_LEVEL,
  /** What the page is told at `/config.json`: where the API and the sign-in are. */
  page: {
    apiUrl: env.BOOKING_API_URL,
    issuer: env.IDENTITY_ISSUER.replace(/\/$/, ''),
    clientId: env.IDENTITY_CLIENT_ID,
  },
}));

export type WebEnvironment = ReturnType<typeof readEnvironment>;
/** The page's configuration, as `/config.json` serves it and `src/config/loadConfig.ts` reads it. */
export type PageConfig = WebEnvironment['page'];
