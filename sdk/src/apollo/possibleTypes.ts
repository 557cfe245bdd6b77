import type { PossibleTypesMap } from '@apollo/client/cache';
import generated from '../__generated__/possibleTypes.js';

/**
 * Which object types each union and interface of the API stands for (every mutation's result
 * union, `BookingError`), generated from the schema, for
 * `new InMemoryCache({ typePolicies, possibleTypes })`: the cache then matches
 * `... on ReservationResult` and `... on BookingError` in the SDK's documents by itself.
 */
export const possibleTypes: PossibleTypesMap = generated.possibleTypes;
