export {
  composeSupergraph,
  repoRoot,
  subgraphDefinitions,
  supergraphPath,
} from './compose/composeSupergraph.js';
export {
  type RunningSystem,
  type ServiceProcess,
  type StartSystemOptions,
  startSystem,
} from './launch/startSystem.js';
export * from './registry.js';
