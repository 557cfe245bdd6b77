import { invalid } from './errors.js';

/** A JSON object from a request, read field by field with Square's error codes and field paths. */
export type Fields = Record<string, unknown>;

export function asObject(value: unknown, field: string): Fields {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(
      'EXPECTED_OBJECT',
      `Expected an object for ${field || 'the body'}.`,
      field || undefined,
    );
  }
  return value as Fields;
}

export function requireValue(fields: Fields, key: string, field: string): unknown {
  const value = fields[key];
  if (value === undefined || value === null) {
    throw invalid('MISSING_REQUIRED_PARAMETER', `Missing required parameter ${field}.`, field);
  }
  return value;
}

/** An optional string of at most `max` characters (`VALUE_TOO_LONG` beyond). */
export function optionalString(
  fields: Fields,
  key: string,
  field: string,
  max = Number.POSITIVE_INFINITY,
) {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    throw invalid('EXPECTED_STRING', `Expected a string for ${field}.`, field);
  if (value.length > max) {
    throw invalid('VALUE_TOO_LONG', `${field} must be at most ${max} characters long.`, field);
  }
  return value;
}

export function requiredString(
  fields: Fields,
  key: string,
  field: string,
  max = Number.POSITIVE_INFINITY,
) {
  requireValue(fields, key, field);
  const value = optionalString(fields, key, field, max) as string;
  if (value.length === 0)
    throw invalid('MISSING_REQUIRED_PARAMETER', `${field} must not be empty.`, field);
  return value;
}

export function optionalInteger(fields: Fields, key: string, field: string) {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw invalid('EXPECTED_INTEGER', `Expected an integer for ${field}.`, field);
  }
  return value;
}

export function optionalArray(fields: Fields, key: string, field: string): unknown[] | undefined {
  const value = fields[key];
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value))
    throw invalid('EXPECTED_ARRAY', `Expected an array for ${field}.`, field);
  return value;
}

/** A query parameter that must be a whole number in `min..max` when present. */
export function queryInteger(query: URLSearchParams, name: string, min: number, max: number) {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  const value = Number(text);
  if (!Number.isInteger(value))
    throw invalid('EXPECTED_INTEGER', `Expected an integer for ${name}.`, name);
  if (value < min) throw invalid('VALUE_TOO_LOW', `${name} must be at least ${min}.`, name);
  if (value > max) throw invalid('VALUE_TOO_HIGH', `${name} must be at most ${max}.`, name);
  return value;
}

export function queryBoolean(query: URLSearchParams, name: string): boolean | undefined {
  const text = query.get(name);
  if (text === null || text === '') return undefined;
  if (text !== 'true' && text !== 'false') {
    throw invalid('EXPECTED_BOOLEAN', `Expected true or false for ${name}.`, name);
  }
  return text === 'true';
}
