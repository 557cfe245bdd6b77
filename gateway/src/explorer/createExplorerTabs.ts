import {
  type DefinitionNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  parse,
  print,
  type TypeNode,
  visit,
} from 'graphql';

/** One tab of the explorer, in GraphiQL's `defaultTabs` shape. */
export interface ExplorerTab {
  query: string;
  variables?: string;
  headers?: string;
}

/**
 * Headers for local development: where the token goes (`Bearer <npm run token …>`). Left empty,
 * the request is anonymous, which may read outside production. ASCII only, as fetch requires.
 */
export const developmentHeaders = JSON.stringify({ authorization: '' }, null, 2);

/** The operation shown first: the one every client starts with. */
const firstOperation = 'Availability';

const isOperation = (node: DefinitionNode): node is OperationDefinitionNode =>
  node.kind === Kind.OPERATION_DEFINITION;
const isFragment = (node: DefinitionNode): node is FragmentDefinitionNode =>
  node.kind === Kind.FRAGMENT_DEFINITION;

/** An ISO 8601 instant in the browser's own offset, e.g. `2026-11-26T09:00:00+01:00`. */
function localIso(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const pad = (n: number) => String(Math.abs(n)).padStart(2, '0');
  const wall = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 19);
  return `${wall}${offset < 0 ? '-' : '+'}${pad(Math.trunc(offset / 60))}:${pad(offset % 60)}`;
}

/** A value of the right shape for a required variable, for the user to fill in. */
function placeholder(type: TypeNode): unknown {
  if (type.kind === Kind.LIST_TYPE) return [];
  if (type.kind === Kind.NON_NULL_TYPE) return placeholder(type.type);
  const name = type.name.value;
  if (name === 'ID' || name === 'String' || name === 'DateTime') return '';
  if (name === 'Int' || name === 'Float') return 0;
  if (name === 'Boolean') return false;
  return {};
}

function exampleVariables(operation: OperationDefinitionNode, now: Date): Record<string, unknown> {
  if (operation.name?.value === firstOperation) {
    const from = new Date(now);
    from.setMinutes(0, 0, 0);
    const to = new Date(from);
    to.setDate(to.getDate() + 7);
    return { filter: { from: localIso(from), to: localIso(to) }, first: 10 };
  }
  // Required variables only: optional ones stay out so the operation runs with its defaults.
  return Object.fromEntries(
    (operation.variableDefinitions ?? [])
      .filter((definition) => definition.type.kind === Kind.NON_NULL_TYPE)
      .map((definition) => [definition.variable.name.value, placeholder(definition.type)]),
  );
}

/**
 * The SDK's operations (`schema/operations/*.graphql`) as explorer tabs: one tab per operation,
 * each with the fragments it uses so it runs on its own; Availability first with the next 7 days
 * as variables, every tab with the development headers.
 *
 * @param documents the text of each operations file
 * @param now the moment the explorer opens; the Availability window starts at its hour
 */
export function createExplorerTabs(documents: readonly string[], now: Date): ExplorerTab[] {
  const definitions = documents.flatMap((text) => parse(text).definitions);
  const fragments = new Map(definitions.filter(isFragment).map((f) => [f.name.value, f]));

  function usedFragments(node: DefinitionNode, found = new Set<string>()): Set<string> {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        const fragment = fragments.get(name);
        if (found.has(name) || !fragment) return;
        found.add(name);
        usedFragments(fragment, found);
      },
    });
    return found;
  }

  const operations = definitions.filter(isOperation);
  operations.sort(
    (a, b) => Number(b.name?.value === firstOperation) - Number(a.name?.value === firstOperation),
  );
  return operations.map((operation) => {
    const used = usedFragments(operation);
    // Fragments in their order of definition, so every tab reads the same way.
    const parts = [operation, ...[...fragments.values()].filter((f) => used.has(f.name.value))];
    return {
      query: parts.map((part) => print(part)).join('\n\n'),
      variables: JSON.stringify(exampleVariables(operation, now), null, 2),
      headers: developmentHeaders,
    };
  });
}
