import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IConfiguration, IViolation } from 'dependency-cruiser';
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// The only directions calls may take between the rooms of the house (docs/architecture.md),
// checked with the repository's own rules (.dependency-cruiser.cjs), as `npx depcruise` would.

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const config: IConfiguration = createRequire(import.meta.url)('../../.dependency-cruiser.cjs');
/** The rooms whose imports are checked, sources and tests alike. */
const rooms = ['gateway', 'subgraphs', 'simulators', 'packages', 'sdk'];
/** Cruising every room parses about 450 files with TypeScript: seconds, not milliseconds. */
const timeout = 120_000;

const describeViolation = (v: IViolation) => `${v.rule.name}: ${v.from} → ${v.to}`;

/** Cruises `rooms` under `baseDir`: the imports against the rules, and those excepted. */
async function cruiseRooms(baseDir: string) {
  const result = await cruise(
    rooms,
    { ruleSet: config, validate: true, baseDir },
    {},
    { tsConfig: extractTSConfig(join(repoRoot, 'tsconfig.json')) },
  );
  if (typeof result.output === 'string') throw new Error('dependency-cruiser answered a report');
  const found = result.output.summary.violations;
  return {
    violations: found
      .filter((v) => v.rule.severity !== 'ignore')
      .map(describeViolation)
      .sort(),
    excepted: found
      .filter((v) => v.rule.severity === 'ignore')
      .map(describeViolation)
      .sort(),
  };
}

describe('import directions (docs/architecture.md)', () => {
  it(
    'no import breaks a rule, and every temporary exception is still needed',
    async () => {
      const { violations, excepted } = await cruiseRooms(repoRoot);
      expect(
        violations,
        `imports against .dependency-cruiser.cjs:\n${violations.join('\n')}\n`,
      ).toEqual([]);
      // An exception whose import is gone leaves the config, so that nothing else hides behind it.
      const exceptions = (config.options?.knownViolations ?? []).map(describeViolation).sort();
      expect(excepted, 'temporary exceptions whose import is gone: remove them').toEqual(
        exceptions,
      );
    },
    timeout,
  );

  describe('a house built to break every rule', () => {
    let house = '';
    const file = (path: string, text: string) => {
      mkdirSync(dirname(join(house, path)), { recursive: true });
      writeFileSync(join(house, path), text);
    };
    /** A module importing `imports`, as the repository's code does (`.js` for `.ts`). */
    const module = (path: string, ...imports: string[]) =>
      file(
        path,
        `${imports.map((from, i) => `import * as m${i} from '${from}';\n`).join('')}` +
          `export const used = [${imports.map((_, i) => `m${i}`).join(', ')}];\n`,
      );

    beforeAll(() => {
      house = mkdtempSync(join(tmpdir(), 'import-directions-'));
      // A workspace package, linked as npm links it: its name resolves to its source.
      file(
        'subgraphs/scheduling/package.json',
        JSON.stringify({
          name: '@booking/scheduling',
          type: 'module',
          exports: { '.': { source: './src/server.ts', default: './dist/server.js' } },
        }),
      );
      mkdirSync(join(house, 'node_modules/@booking'), { recursive: true });
      symlinkSync('../../subgraphs/scheduling', join(house, 'node_modules/@booking/scheduling'));

      module('subgraphs/scheduling/src/server.ts', './schema/resolvers.js');
      module('subgraphs/scheduling/src/schema/resolvers.ts', '../manager/models.js');
      module('subgraphs/scheduling/src/manager/models.ts', '../schema/resolvers.js');
      module(
        'subgraphs/scheduling/src/manager/callProvider.ts',
        '../../../provider-acme/src/index.js',
      );
      module(
        'subgraphs/scheduling/src/access/ledger.ts',
        '../manager/models.js',
        '../schema/resolvers.js',
      );
      module(
        'subgraphs/scheduling/src/engines/merge.ts',
        '../manager/models.js',
        '../schema/resolvers.js',
        '../access/ledger.js',
      );
      module('subgraphs/provider-acme/src/index.ts', '../../scheduling/src/server.js');
      module('simulators/acme/src/index.ts');
      module('gateway/src/server.ts', '@booking/scheduling', '../../simulators/acme/src/index.js');
      module(
        'packages/kit/src/index.ts',
        '../../../simulators/acme/src/index.js',
        '../../../sdk/src/index.js',
      );
      // The tools package may import anything.
      module('packages/tools/src/index.ts', '../../../gateway/src/server.js');
      module('sdk/src/index.ts', '../../packages/kit/src/index.js');
    });
    afterAll(() => rmSync(house, { recursive: true, force: true }));

    it(
      'is caught: each planted import under the rule it breaks, and nothing the rules allow',
      async () => {
        const { violations, excepted } = await cruiseRooms(house);
        const s = 'subgraphs/scheduling/src';
        expect(violations).toEqual(
          [
            `gateway-not-to-services: gateway/src/server.ts → ${s}/server.ts`,
            'gateway-not-to-services: gateway/src/server.ts → simulators/acme/src/index.ts',
            `scheduling-access-not-to-manager: ${s}/access/ledger.ts → ${s}/manager/models.ts`,
            `scheduling-access-not-to-schema: ${s}/access/ledger.ts → ${s}/schema/resolvers.ts`,
            `scheduling-engines-not-up: ${s}/engines/merge.ts → ${s}/access/ledger.ts`,
            `scheduling-engines-not-up: ${s}/engines/merge.ts → ${s}/manager/models.ts`,
            `scheduling-engines-not-up: ${s}/engines/merge.ts → ${s}/schema/resolvers.ts`,
            `scheduling-manager-not-to-schema: ${s}/manager/models.ts → ${s}/schema/resolvers.ts`,
            `scheduling-not-to-providers: ${s}/manager/callProvider.ts → subgraphs/provider-acme/src/index.ts`,
            `providers-not-to-scheduling: subgraphs/provider-acme/src/index.ts → ${s}/server.ts`,
            'shared-packages-not-to-services: packages/kit/src/index.ts → sdk/src/index.ts',
            'shared-packages-not-to-services: packages/kit/src/index.ts → simulators/acme/src/index.ts',
            'sdk-source-alone: sdk/src/index.ts → packages/kit/src/index.ts',
          ].sort(),
        );
        expect(excepted).toEqual([]);
        // Every rule caught something here: a rule that can match nothing would pass any house.
        const caughtBy = new Set(violations.map((v) => v.slice(0, v.indexOf(':'))));
        expect([...caughtBy].sort()).toEqual(config.forbidden?.map((rule) => rule.name).sort());
      },
      timeout,
    );
  });
});
