import {
  type Filter,
  getSearchParameter,
  matchesSearchRequest,
  Operator,
  type SearchRequest,
  splitSearchOnComma,
  toPeriod,
} from '@medplum/core';
import type { Period, Resource, SearchParameter } from '@medplum/fhirtypes';
import type { IndexedToken, SearchValues } from './SearchValues.js';

/** A reference filter `code=ref1,ref2` without negation: a match references one of `values`. */
export interface ReferenceCondition {
  kind: 'reference';
  code: string;
  values: readonly string[];
}

/** One date filter with a single value: a match's period compares with `period` by `operator`. */
export interface DateCondition {
  kind: 'date';
  code: string;
  operator: Operator;
  period: Period;
}

/** A search compiled once and tested against many stored resources. */
export interface CompiledSearch {
  readonly resourceType: string;
  /**
   * Whether a stored resource of the searched type matches every filter: the same answer as
   * Medplum's `matchesSearchRequest`.
   */
  matches(resource: Resource): boolean;
  /** Conditions every match satisfies, for an index to narrow the candidates with. */
  readonly conditions: readonly (ReferenceCondition | DateCondition)[];
}

type Test = (resource: Resource) => boolean;

const dateOperators = new Set<Operator>([
  Operator.EQUALS,
  Operator.NOT_EQUALS,
  Operator.APPROXIMATELY,
  Operator.LESS_THAN,
  Operator.GREATER_THAN,
  Operator.LESS_THAN_OR_EQUALS,
  Operator.GREATER_THAN_OR_EQUALS,
  Operator.STARTS_AFTER,
  Operator.ENDS_BEFORE,
]);
const isNegated = (operator: Operator) =>
  operator === Operator.NOT_EQUALS || operator === Operator.NOT;
const isEqualityOrNegation = (operator: Operator) =>
  operator === Operator.EQUALS || isNegated(operator);

// The comparisons below are those of Medplum's memory matching (`@medplum/core` search/match.ts,
// 4.5.2), applied to values `SearchValues` extracted once with Medplum's own converters. Filters
// they do not cover (string, uri, number and quantity parameters, `:missing`, `:text`, `:in` and
// the other modifiers, `_compartment`, empty references) are left to `matchesSearchRequest` itself.

function referenceTest(param: SearchParameter, filter: Filter, values: SearchValues): Test {
  const wanted = new Set(splitSearchOnComma(filter.value));
  const negated = isNegated(filter.operator);
  return (resource) =>
    values.references(resource, param).some((reference) => wanted.has(reference))
      ? !negated
      : negated;
}

/** Medplum's `matchesTokenValue` for one filter value, its lower-casing done once. */
function tokenMatcher(filterValue: string): (token: IndexedToken) => boolean {
  if (filterValue.includes('|')) {
    const [system, value] = filterValue.split('|').map((s) => s.toLowerCase());
    if (!system && !value) return () => false;
    if (!system) return (token) => !token.system && token.valueLower === value;
    return (token) => token.systemLower === system && (!value || token.valueLower === value);
  }
  const value = filterValue.toLowerCase();
  return (token) => token.valueLower === value;
}

function tokenTest(param: SearchParameter, filter: Filter, values: SearchValues): Test {
  const matchers = splitSearchOnComma(filter.value).map(tokenMatcher);
  const negated = isNegated(filter.operator);
  return (resource) => {
    for (const token of values.tokens(resource, param)) {
      for (const matcher of matchers) if (matcher(token)) return !negated;
    }
    return negated;
  };
}

/** Medplum compares the ISO strings of UTC instants that `toPeriod` makes. */
function dateMatches(value: Period, operator: Operator, filter: Period): boolean {
  const start = value.start ?? '0000';
  const end = value.end ?? '9999';
  const filterStart = filter.start as string;
  const filterEnd = filter.end as string;
  switch (operator) {
    case Operator.APPROXIMATELY:
    case Operator.EQUALS:
    case Operator.NOT_EQUALS:
      return start < filterEnd && end > filterStart;
    case Operator.LESS_THAN:
      return start < filterStart;
    case Operator.GREATER_THAN:
      return end > filterEnd;
    case Operator.LESS_THAN_OR_EQUALS:
      return start <= filterEnd;
    case Operator.GREATER_THAN_OR_EQUALS:
      return end >= filterStart;
    case Operator.STARTS_AFTER:
      return start > filterEnd;
    case Operator.ENDS_BEFORE:
      return end < filterStart;
    default:
      return false;
  }
}

function dateTest(
  param: SearchParameter,
  filter: Filter,
  filterPeriods: readonly (Period | undefined)[],
  values: SearchValues,
): Test {
  const negated = isNegated(filter.operator);
  return (resource) => {
    for (const period of values.periods(resource, param)) {
      for (const filterPeriod of filterPeriods) {
        if (filterPeriod && dateMatches(period, filter.operator, filterPeriod)) return !negated;
      }
    }
    return negated;
  };
}

/**
 * Compiles the filters of a search into one test of stored resources that answers exactly as
 * Medplum's `matchesSearchRequest`, but reads each resource's reference, token and date values
 * from `values` (extracted once per stored version) instead of evaluating FHIRPath per resource
 * and search. Undefined when a filter value would make Medplum's own matching throw: the caller
 * then leaves the whole search to Medplum, so the client meets the same error.
 */
export function compileSearch(
  request: SearchRequest,
  values: SearchValues,
): CompiledSearch | undefined {
  const { resourceType } = request;
  const tests: Test[] = [];
  const rest: Filter[] = [];
  const conditions: (ReferenceCondition | DateCondition)[] = [];
  for (const filter of request.filters ?? []) {
    const param = getSearchParameter(resourceType, filter.code);
    if (typeof param?.expression !== 'string') {
      rest.push(filter);
      continue;
    }
    if (param.type === 'reference' && isEqualityOrNegation(filter.operator)) {
      if (filter.value === '' || filter.code === '_compartment') {
        rest.push(filter);
        continue;
      }
      tests.push(referenceTest(param, filter, values));
      if (filter.operator === Operator.EQUALS) {
        conditions.push({
          kind: 'reference',
          code: filter.code,
          values: splitSearchOnComma(filter.value),
        });
      }
    } else if (param.type === 'token' && isEqualityOrNegation(filter.operator)) {
      tests.push(tokenTest(param, filter, values));
    } else if (param.type === 'date' && dateOperators.has(filter.operator)) {
      let filterPeriods: (Period | undefined)[];
      try {
        filterPeriods = splitSearchOnComma(filter.value).map(toPeriod);
      } catch {
        return undefined;
      }
      tests.push(dateTest(param, filter, filterPeriods, values));
      const [period] = filterPeriods;
      if (period && filterPeriods.length === 1 && !isNegated(filter.operator)) {
        conditions.push({ kind: 'date', code: filter.code, operator: filter.operator, period });
      }
    } else {
      rest.push(filter);
    }
  }
  const remaining = rest.length > 0 ? { resourceType, filters: rest } : undefined;
  return {
    resourceType,
    conditions,
    matches(resource) {
      if (resource.resourceType !== resourceType) return false;
      for (const test of tests) if (!test(resource)) return false;
      return remaining ? matchesSearchRequest(resource, remaining) : true;
    },
  };
}
