// The explorer page's entry, bundled by `scripts/buildExplorer.mjs` (esbuild), never by tsc.
// JSX rather than TSX: the repository has no React type definitions, so a .tsx file would fail the
// type-check; the logic worth typing is in createExplorerTabs.ts, which is type-checked.
import { createGraphiQLFetcher } from '@graphiql/toolkit';
import { GraphiQL } from 'graphiql';
import 'graphiql/graphiql.css';
// The SDK's operation documents, embedded at build time by the bundler.
import operationDocuments from 'explorer:operations';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { createExplorerTabs, developmentHeaders } from './createExplorerTabs.js';

const fetcher = createGraphiQLFetcher({ url: '/graphql' });
const tabs = createExplorerTabs(operationDocuments, new Date());
// GraphiQL 3 fills the first tab's variables editor from `variables`, not from `defaultTabs`. Only
// on a first visit: afterwards GraphiQL restores the user's own tabs from localStorage.
const firstVisit = window.localStorage.getItem('graphiql:tabState') === null;

createRoot(document.getElementById('explorer')).render(
  <StrictMode>
    <GraphiQL
      fetcher={fetcher}
      defaultTabs={tabs}
      variables={firstVisit ? tabs[0]?.variables : undefined}
      defaultHeaders={developmentHeaders}
      defaultEditorToolsVisibility="variables"
      shouldPersistHeaders={false}
    />
  </StrictMode>,
);
