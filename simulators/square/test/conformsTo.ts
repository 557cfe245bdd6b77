import { readFileSync } from 'node:fs';

interface Schema {
  $ref?: string;
  type?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: unknown;
  items?: Schema;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
}

const document = JSON.parse(
  readFileSync(new URL('../../../standards/square-connect/api.json', import.meta.url), 'utf8'),
) as { components: { schemas: Record<string, Schema> } };

/**
 * Codes Square answers that its `ErrorCode` enum lacks: `VERSION_MISMATCH` appears only in
 * `x-endpoint-errors` and field descriptions of the document.
 */
const codesOutsideTheEnum = new Set(['VERSION_MISMATCH']);

function check(value: unknown, schema: Schema, path: string, problems: string[]): void {
  if (schema.$ref) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components.schemas[name];
    if (!target) throw new Error(`no schema ${name}`);
    check(value, target, path, problems);
    return;
  }
  if (schema.enum && !schema.enum.includes(value) && !codesOutsideTheEnum.has(String(value))) {
    problems.push(`${path}: ${JSON.stringify(value)} is not one of the enum`);
  }
  switch (schema.type) {
    case 'string':
      if (typeof value !== 'string') problems.push(`${path}: expected a string`);
      else if (schema.maxLength !== undefined && value.length > schema.maxLength) {
        problems.push(`${path}: longer than ${schema.maxLength}`);
      } else if (schema.minLength !== undefined && value.length < schema.minLength) {
        problems.push(`${path}: shorter than ${schema.minLength}`);
      }
      return;
    case 'integer':
      if (!Number.isInteger(value)) problems.push(`${path}: expected an integer`);
      return;
    case 'number':
      if (typeof value !== 'number') problems.push(`${path}: expected a number`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
      return;
    case 'array':
      if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
      else {
        for (const [i, item] of value.entries())
          check(item, schema.items ?? {}, `${path}[${i}]`, problems);
      }
      return;
    default:
      if (!schema.properties) return;
      if (value === null || typeof value !== 'object' || Array.isArray(value)) {
        problems.push(`${path}: expected an object`);
        return;
      }
      for (const [key, field] of Object.entries(value)) {
        const declared = schema.properties[key];
        if (declared) check(field, declared, `${path}.${key}`, problems);
        else if (!schema.additionalProperties) problems.push(`${path}.${key}: not in the schema`);
      }
  }
}

/**
 * What in `value` the named schema of Square's OpenAPI document does not allow: an undeclared
 * field, a wrong type, a value outside an enum, a string over its maximum length. Empty: conforms.
 */
export function conformsTo(value: unknown, schemaName: string): string[] {
  const problems: string[] = [];
  check(value, { $ref: `#/components/schemas/${schemaName}` }, schemaName, problems);
  return problems;
}
