import { ApolloLink } from '@apollo/client/link';
import { getMainDefinition } from '@apollo/client/utilities';
import { Kind, type TypeNode } from 'graphql';

/** The API's mutation inputs that carry an `idempotencyKey` (the reservation mutations). */
export const inputsWithIdempotencyKey: ReadonlySet<string> = new Set([
  'HoldSlotInput',
  'ConfirmReservationInput',
  'ReserveSlotInput',
  'CancelReservationInput',
  'RescheduleReservationInput',
]);

function namedType(type: TypeNode): string {
  return type.kind === Kind.NAMED_TYPE ? type.name.value : namedType(type.type);
}

/**
 * Gives a reservation mutation sent without an `input.idempotencyKey` one, once per operation and
 * before the retry link, so that every retry of it carries the same key and the platform books it
 * at most once. A key the caller gave is kept: keep your own when you repeat a booking yourself
 * (after a reload, say), as a new key is a new booking.
 */
export function createIdempotencyKeyLink(newKey: () => string): ApolloLink {
  return new ApolloLink((operation, forward) => {
    if (operation.operationType !== 'mutation') return forward(operation);
    const input: unknown = operation.variables.input;
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      return forward(operation);
    }
    if ((input as { idempotencyKey?: unknown }).idempotencyKey != null) return forward(operation);
    const definition = getMainDefinition(operation.query);
    const declared = definition.variableDefinitions?.find((v) => v.variable.name.value === 'input');
    if (!declared || !inputsWithIdempotencyKey.has(namedType(declared.type))) {
      return forward(operation);
    }
    operation.variables = { ...operation.variables, input: { ...input, idempotencyKey: newKey() } };
    return forward(operation);
  });
}
