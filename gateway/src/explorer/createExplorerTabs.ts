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

/** The headers editor's value until a token is pasted over `<token>`. */
export const tokenPlaceholder = 'Bearer <token>';

/**
 * Headers for local development: where the token goes. While it still reads `Bearer <token>`, the
 * explorer sends no `Authorization` (`withoutPlaceholder`) and the request is anonymous, which
 * may read outside production. ASCII only, as fetch requires.
 */
export const developmentHeaders = JSON.stringify({ authorization: tokenPlaceholder }, null, 2);

/** The headers to send: the placeholder token left as it was means no credentials at all. */
export function withoutPlaceholder(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(headers).filter(
      ([name, value]) => !(name.toLowerCase() === 'authorization' && value === tokenPlaceholder),
    ),
  );
}

/** What the examples start from: the moment the explorer opens and what it found then. */
export interface ExampleContext {
  now: Date;
  /** Free slots the explorer read as it opened (anonymously); none when it could not. */
  slotIds: readonly string[];
  /** A new idempotency key. */
  newKey: () => string;
}

/** The patient of every example: Skatteverket's published test personnummer, nobody real. */
const examplePatient = {
  personalIdentityNumber: '19121212-1212',
  givenName: 'Tolvan',
  familyName: 'Tolvansson',
  email: 'tolvan@example.se',
  phone: '070-123 45 67',
};

/** Where an id only an earlier answer can give goes. */
const fromAnswer = (what: string) => `<${what}>`;

/**
 * A complete input for each mutation (every field a booking needs, valid as it stands but for
 * ids only an earlier answer holds) and the token it needs, as a comment above the operation.
 */
function mutationExample(
  name: string,
  { now, slotIds, newKey }: ExampleContext,
): { variables: Record<string, unknown>; needs: string } | undefined {
  const slotId = slotIds[0] ?? fromAnswer('a slot id from the Availability tab');
  const newSlotId = slotIds[1] ?? fromAnswer('another slot id from the Availability tab');
  const reservationId = fromAnswer('the reservation id HoldSlot or ReserveSlot answered');
  const day = 86_400_000;
  const reservations = 'reservations:write';
  const webhooks = 'webhooks:manage';
  const examples: Record<string, { variables: Record<string, unknown>; needs: string }> = {
    HoldSlot: { variables: { input: { slotId, idempotencyKey: newKey() } }, needs: reservations },
    ConfirmReservation: {
      variables: { input: { reservationId, patient: examplePatient, idempotencyKey: newKey() } },
      needs: reservations,
    },
    ReserveSlot: {
      variables: {
        input: {
          slotId,
          patient: examplePatient,
          idempotencyKey: newKey(),
          note: 'Första besöket',
        },
      },
      needs: reservations,
    },
    CancelReservation: {
      variables: {
        input: { reservationId, reason: 'Patienten kan inte komma', idempotencyKey: newKey() },
      },
      needs: reservations,
    },
    RescheduleReservation: {
      variables: { input: { reservationId, newSlotId, idempotencyKey: newKey() } },
      needs: reservations,
    },
    WatchAvailability: {
      variables: {
        input: {
          near: { latitude: 59.3293, longitude: 18.0686 },
          radiusKm: 25,
          before: localIso(new Date(now.getTime() + 14 * day)),
        },
      },
      needs: reservations,
    },
    CancelAvailabilityWatch: {
      variables: { id: fromAnswer('the watch id WatchAvailability answered') },
      needs: reservations,
    },
    CreateWebhookEndpoint: {
      variables: {
        input: {
          url: 'http://127.0.0.1:8080/booking-events',
          description: 'Bokningshändelser',
          eventTypes: ['reservation.confirmed', 'reservation.cancelled'],
        },
      },
      needs: webhooks,
    },
    UpdateWebhookEndpoint: {
      variables: { input: { id: fromAnswer('the endpoint id'), enabled: false } },
      needs: webhooks,
    },
    DeleteWebhookEndpoint: { variables: { id: fromAnswer('the endpoint id') }, needs: webhooks },
    RedeliverWebhook: {
      variables: { deliveryId: fromAnswer('a delivery id from WebhookDeliveries') },
      needs: webhooks,
    },
    ReplayWebhooks: {
      variables: {
        input: {
          endpointId: fromAnswer('the endpoint id'),
          since: localIso(new Date(now.getTime() - day)),
        },
      },
      needs: webhooks,
    },
  };
  return examples[name];
}

/** The comment above an operation that needs a token: which scope, and how to get one locally. */
const tokenHint = (scope: string) =>
  [
    `# Needs a token with ${scope}: paste it over <token> in Headers. Locally:`,
    `#   npm run token -- ${scope}${scope === 'reservations:write' ? ' --subject demo-patient' : ''}`,
    '# or sign in on the demo booking page (http://localhost:5173) and copy its token.',
  ].join('\n');

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

function exampleVariables(
  operation: OperationDefinitionNode,
  context: ExampleContext,
): Record<string, unknown> {
  const { now } = context;
  const mutation = mutationExample(operation.name?.value ?? '', context);
  if (mutation) return mutation.variables;
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
 * as variables, each mutation with a complete example input and the token it needs, every tab with
 * the development headers.
 *
 * @param documents the text of each operations file
 * @param context the moment the explorer opens (the Availability window starts at its hour) and
 *   the slots it found then, for the examples
 */
export function createExplorerTabs(
  documents: readonly string[],
  context: ExampleContext,
): ExplorerTab[] {
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
    const needs = mutationExample(operation.name?.value ?? '', context)?.needs;
    const text = parts.map((part) => print(part)).join('\n\n');
    return {
      query: needs ? `${tokenHint(needs)}\n${text}` : text,
      variables: JSON.stringify(exampleVariables(operation, context), null, 2),
      headers: developmentHeaders,
    };
  });
}
