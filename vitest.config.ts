import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Apollo packages are CommonJS and load graphql's CommonJS build; make ESM test code load the same
// copy, or graphql fails with "Cannot use GraphQLObjectType from another module or realm".
const resolve = {
  alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
};
// Workspace packages are tested from source (their `source` export), without building them first.
const ssr = { resolve: { conditions: ['source', 'node', 'development|production'] } };

// Templates (the new-provider scaffold) hold tests for packages that do not exist yet.
const exclude = ['**/node_modules/**', '**/dist/**', 'packages/tools/templates/**'];

/**
 * Test files that need a process of their own: they install OpenTelemetry, whose instrumentations
 * patch modules as they load, or replace a module (`vi.mock`). Every other unit and integration
 * file shares its worker with the files before it (`isolate: false`): one module graph loaded once
 * per worker rather than per file, which halves those projects' time. A file in these projects
 * must therefore leave no state behind in a module it shares (a helper's pool, a global).
 */
const ownProcess = [
  'packages/telemetry/test/**',
  'packages/server-kit/test/telemetry.test.ts',
  'subgraphs/scheduling/test/createProviderGuard.test.ts',
  'subgraphs/scheduling/test/createReconciler.int.test.ts',
  'subgraphs/scheduling/test/reservationTraces.int.test.ts',
  'gateway/test/verifiedTokens.test.ts',
];

/** One config, projects by file suffix: unit, in-process integration, multi-process system. */
export default defineConfig({
  test: {
    // The default report, then what was not run and why, and the counts as the last line.
    reporters: ['default', './test/skippedReporter.ts'],
    // Every core: test files spend much of their time importing modules and waiting on sockets
    // and databases (Vitest's default leaves one core free, half the machine on two cores). The
    // system project still runs one file at a time.
    maxWorkers: availableParallelism(),
    projects: [
      {
        resolve,
        ssr,
        test: {
          name: 'unit',
          include: ['**/*.test.ts'],
          exclude: [...exclude, ...ownProcess, '**/*.int.test.ts', '**/*.system.test.ts'],
          isolate: false,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'integration',
          include: ['**/*.int.test.ts'],
          exclude: [...exclude, ...ownProcess],
          isolate: false,
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'own-process',
          include: ownProcess,
          exclude: [...exclude, '**/*.system.test.ts'],
          testTimeout: 30_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve,
        ssr,
        test: {
          name: 'system',
          // After the other projects, alone: each file starts ten processes on a small machine.
          sequence: { groupOrder: 1 },
          include: ['**/*.system.test.ts'],
          exclude,
          testTimeout: 120_000,
          // Above startSystem's own 180 s readiness limit, so that a service that never becomes
          // ready fails with its name and last output lines, not as a silent hook timeout.
          hookTimeout: 240_000,
          // Each system test starts the whole system as separate processes; one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
