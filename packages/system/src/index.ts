export {
  composeSupergraph,
  repoRoot,
  subgraphDefinitions,
  supergraphPath,
} from './composeSupergraph.js';
export * from './registry.js';
export {
  type RunningSystem,
  type ServiceProcess,
  type StartSystemOptions,
  startSystem,
} from './startSystem.js';
