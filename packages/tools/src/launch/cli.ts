import { gateway, identity, webPage } from '../registry.js';
import { startSystem } from './startSystem.js';

// `npm start`: every service as its own process, prefixed logs, clean shutdown on Ctrl-C/SIGTERM.
// Ports: <SERVICE>_PORT, e.g. GATEWAY_PORT=5000 or PROVIDER_CLINIQ_PORT=5010.
const ports: Record<string, number> = {};
for (const [key, value] of Object.entries(process.env)) {
  const match = /^(.+)_PORT$/.exec(key);
  if (match?.[1] && value && /^\d+$/.test(value)) {
    ports[match[1].toLowerCase().replaceAll('_', '-')] = Number(value);
  }
}

const started = Date.now();
const system = await startSystem({ ports, demo: true }).catch((error: unknown) => {
  process.stderr.write(`\nthe system did not start: ${(error as Error).message}\n`);
  process.exit(1);
});
const seconds = ((Date.now() - started) / 1000).toFixed(1);
process.stdout.write(
  [
    '',
    `Booking Platform is ready (${seconds} s).`,
    `  ${'GraphQL API'.padEnd(18)}  ${system.graphqlUrl}`,
    `  ${'demo booking page'.padEnd(18)}  ${system.urls[webPage.name]!.replace('127.0.0.1', 'localhost')}  (sign in as astrid, password demo)`,
    `  ${'identity provider'.padEnd(18)}  ${system.urls[identity.name]}`,
    ...Object.entries(system.urls)
      .filter(([name]) => ![gateway.name, webPage.name, identity.name].includes(name))
      .map(([name, url]) => `  ${name.padEnd(18)}  ${url}`),
    'Press Ctrl-C to stop.',
    '',
  ].join('\n'),
);

let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping every service…\n`);
    system.stop().then(() => process.exit(0));
  });
}
