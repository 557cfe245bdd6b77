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
import {
  createExplorerTabs,
  developmentHeaders,
  withoutPlaceholder,
} from './createExplorerTabs.js';

const sendToApi = createGraphiQLFetcher({ url: '/graphql' });
// `Bearer <token>` left as it was: the request goes without credentials (anonymous reads).
const fetcher = (params, options) =>
  sendToApi(params, { ...options, headers: withoutPlaceholder(options?.headers ?? {}) });

/** Two free slots of the coming week, read anonymously, so the booking examples name real ones. */
async function freeSlotIds(now) {
  const to = new Date(now.getTime() + 7 * 86_400_000);
  try {
    const response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        query:
          'query ExplorerExampleSlots($filter: AvailabilityFilter!) { availability(filter: $filter, first: 2) { edges { node { id } } } }',
        variables: { filter: { from: now.toISOString(), to: to.toISOString() } },
      }),
      signal: AbortSignal.timeout(5000),
    });
    const { data } = await response.json();
    return data?.availability?.edges.map((edge) => edge.node.id) ?? [];
  } catch {
    // Without them the examples say where a slot id comes from.
    return [];
  }
}

const now = new Date();
const tabs = createExplorerTabs(operationDocuments, {
  now,
  slotIds: await freeSlotIds(now),
  newKey: () => crypto.randomUUID(),
});
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
