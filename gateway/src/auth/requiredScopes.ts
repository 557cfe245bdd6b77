import { Scope } from '@booking/server-kit';
import {
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';

/**
 * Root query fields that read a client's own records (reservations, their events, slot watches
 * and theirs); every other root query field reads the catalogue or slots. A test checks every
 * root field of the supergraph that returns those is here.
 */
export const reservationQueries: ReadonlySet<string> = new Set([
  'reservation',
  'myReservations',
  'reservationEvents',
  'availabilityWatches',
  'availabilityEvents',
]);

/**
 * Root fields (queries and mutations) that manage the application's webhooks:
 * `webhooks:manage`. A test checks every root field of the supergraph that deals in webhooks is
 * here.
 */
export const webhookFields: ReadonlySet<string> = new Set([
  'webhookEndpoints',
  'webhookDeliveries',
  'createWebhookEndpoint',
  'updateWebhookEndpoint',
  'deleteWebhookEndpoint',
  'redeliverWebhook',
  'replayWebhooks',
]);

/** Every root field an operation selects, through fragments too. */
function rootFields(
  selectionSet: SelectionSetNode,
  fragments: Record<string, FragmentDefinitionNode>,
  seen = new Set<string>(),
): string[] {
  return selectionSet.selections.flatMap((selection) => {
    switch (selection.kind) {
      case Kind.FIELD:
        return [selection.name.value];
      case Kind.INLINE_FRAGMENT:
        return rootFields(selection.selectionSet, fragments, seen);
      case Kind.FRAGMENT_SPREAD: {
        const fragment = fragments[selection.name.value];
        if (!fragment || seen.has(fragment.name.value)) return [];
        seen.add(fragment.name.value);
        return rootFields(fragment.selectionSet, fragments, seen);
      }
      default:
        return [];
    }
  });
}

/**
 * The scopes an operation needs: `webhooks:manage` for managing webhooks, `reservations:write` for every other
 * mutation, `reservations:read` for reading a reservation, `availability:read` for the catalogue
 * and slots. Introspection needs none
 * (whether it is allowed at all is the server's `INTROSPECTION` setting).
 */
export function requiredScopes(
  operation: OperationDefinitionNode,
  fragments: Record<string, FragmentDefinitionNode>,
): Set<Scope> {
  const needed = new Set<Scope>();
  for (const field of rootFields(operation.selectionSet, fragments)) {
    if (field.startsWith('__')) continue;
    if (webhookFields.has(field)) needed.add(Scope.WebhooksManage);
    else if (operation.operation === 'mutation') needed.add(Scope.ReservationsWrite);
    else if (reservationQueries.has(field)) needed.add(Scope.ReservationsRead);
    else needed.add(Scope.AvailabilityRead);
  }
  return needed;
}
