// The directions calls may take between the rooms of the house (docs/architecture.md), as
// dependency-cruiser rules. test/architecture/importDirections.test.ts runs them in `npm test`;
// `npx depcruise --config .dependency-cruiser.cjs gateway subgraphs simulators packages sdk`
// prints the same report. Paths are relative to the repository root.

/** Services: what runs as its own process. */
const services = '^(gateway|subgraphs/[^/]+|simulators/[^/]+)/';
const scheduling = '^subgraphs/scheduling/';
const providers = '^subgraphs/provider-[^/]+/';
const layer = (name) => `^subgraphs/scheduling/src/${name}/`;

/**
 * Imports that break a rule for a while, each with its reason. An entry leaves this list when its
 * import is fixed; nothing else belongs here. dependency-cruiser reports them as ignored, not as
 * violations.
 */
// None today; the test fails when an entry's import no longer exists.
const temporaryExceptions = [];

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'gateway-not-to-services',
      comment:
        'The gateway reaches scheduling and the provider subgraphs over GraphQL only (the ' +
        "supergraph's URLs): it imports no subgraph's, simulator's or tool's code.",
      severity: 'error',
      from: { path: '^gateway/' },
      to: { path: '^(subgraphs|simulators)/|^packages/tools/' },
    },
    {
      name: 'scheduling-access-not-to-manager',
      comment: 'Access is below the manager: it never imports it.',
      severity: 'error',
      from: { path: layer('access') },
      to: { path: layer('manager') },
    },
    {
      name: 'scheduling-access-not-to-schema',
      comment: 'Access is below the schema layer: it never imports it.',
      severity: 'error',
      from: { path: layer('access') },
      to: { path: layer('schema') },
    },
    {
      name: 'scheduling-engines-not-up',
      comment:
        'Engines are pure logic at the bottom: they import neither the manager, the schema ' +
        'layer nor access.',
      severity: 'error',
      from: { path: layer('engines') },
      to: { path: `${layer('manager')}|${layer('schema')}|${layer('access')}` },
    },
    {
      name: 'scheduling-manager-not-to-schema',
      comment: 'The schema layer calls the manager, never the other way.',
      severity: 'error',
      from: { path: layer('manager') },
      to: { path: layer('schema') },
    },
    {
      name: 'scheduling-not-to-providers',
      comment:
        'Scheduling talks to the provider subgraphs over GraphQL through the provider contract ' +
        '(schema/provider-contract.graphql), never through their code.',
      severity: 'error',
      from: { path: scheduling },
      to: { path: providers },
    },
    {
      name: 'providers-not-to-scheduling',
      comment: 'A provider subgraph serves the provider contract; it imports none of scheduling.',
      severity: 'error',
      from: { path: providers },
      to: { path: scheduling },
    },
    {
      name: 'shared-packages-not-to-services',
      comment:
        'Shared packages (packages/* except tools) depend on no service ' + 'and not on the SDK.',
      severity: 'error',
      from: { path: '^packages/', pathNot: '^packages/tools/' },
      to: { path: `${services}|^sdk/` },
    },
    {
      name: 'sdk-source-alone',
      comment:
        'The SDK is published alone: its source imports no service and no workspace package.',
      severity: 'error',
      from: { path: '^sdk/src/' },
      to: { path: `${services}|^packages/` },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)(node_modules|dist)/|^packages/tools/templates/' },
    // Type-only imports count: a type is as much a dependency on a room as a value.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // Workspace packages resolve to their source, as in the tests and the type-check.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['source', 'import', 'require', 'node', 'default'],
      extensions: ['.ts', '.tsx', '.js', '.mjs', '.cjs', '.jsx', '.json'],
    },
    // The temporary exceptions, in the shape of dependency-cruiser's baseline of known violations.
    knownViolations: temporaryExceptions.map(({ rule, from, to }) => ({
      type: 'dependency',
      from,
      to,
      rule: { severity: 'error', name: rule },
    })),
  },
};
