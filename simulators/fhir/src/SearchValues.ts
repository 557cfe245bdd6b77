import {
  convertToSearchableDates,
  convertToSearchableReferences,
  convertToSearchableTokens,
  evalFhirPathTyped,
  type FhirPathAtom,
  parseFhirPath,
  type SearchableToken,
  toTypedValue,
} from '@medplum/core';
import type { Period, Resource, SearchParameter } from '@medplum/fhirtypes';

/** A token with the lower-case forms Medplum's token matching compares. */
export interface IndexedToken extends SearchableToken {
  systemLower: string | undefined;
  valueLower: string | undefined;
}

/**
 * What Medplum's search matching reads from a resource for one search parameter: the parameter's
 * FHIRPath expression evaluated on the resource, converted to references, tokens or periods by
 * Medplum's own converters. Medplum's memory repository parses and evaluates the expression for
 * every resource on every search; this computes it once per stored version, the way a database
 * fills its search columns on write.
 *
 * Keyed by the stored object: the memory repository stores its own copy of every version and
 * only hands out copies, so a stored object is never changed and its values stay right for as
 * long as it is stored, also across a transaction's snapshot and restore.
 */
export class SearchValues {
  readonly #byResource = new WeakMap<Resource, Map<string, unknown>>();
  readonly #parsed = new Map<string, FhirPathAtom>();

  /** `Reference.reference` strings (and the other forms Medplum indexes) of a reference parameter. */
  references(resource: Resource, param: SearchParameter): readonly string[] {
    return this.#cached(resource, param, convertToSearchableReferences);
  }

  /** Tokens of a token parameter, with their lower-case forms. */
  tokens(resource: Resource, param: SearchParameter): readonly IndexedToken[] {
    return this.#cached(resource, param, (typed) =>
      convertToSearchableTokens(typed).map((token) => ({
        ...token,
        systemLower: token.system?.toLowerCase(),
        valueLower: token.value?.toLowerCase(),
      })),
    );
  }

  /** Periods (UTC instants, millisecond precision) of a date parameter. */
  periods(resource: Resource, param: SearchParameter): readonly Period[] {
    return this.#cached(resource, param, convertToSearchableDates);
  }

  #cached<T>(
    resource: Resource,
    param: SearchParameter,
    convert: (typed: ReturnType<typeof evalFhirPathTyped>) => T,
  ): T {
    let byCode = this.#byResource.get(resource);
    if (!byCode) {
      byCode = new Map();
      this.#byResource.set(resource, byCode);
    }
    const code = param.code ?? '';
    if (byCode.has(code)) return byCode.get(code) as T;
    const value = convert(evalFhirPathTyped(this.#expression(param), [toTypedValue(resource)]));
    byCode.set(code, value);
    return value;
  }

  #expression(param: SearchParameter): FhirPathAtom {
    const text = param.expression ?? '';
    let atom = this.#parsed.get(text);
    if (!atom) {
      atom = parseFhirPath(text);
      this.#parsed.set(text, atom);
    }
    return atom;
  }
}
