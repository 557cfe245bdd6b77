/** The part of an OpenAPI 3.0 schema object the conformance check reads. */
interface Schema {
  $ref?: string;
  type?: string;
  nullable?: boolean;
  properties?: Record<string, Schema>;
  required?: string[];
  additionalProperties?: unknown;
  items?: Schema;
  maxItems?: number;
  enum?: unknown[];
  maxLength?: number;
  minLength?: number;
  pattern?: string;
  minimum?: number;
  maximum?: number;
}

interface Operation {
  operationId?: string;
  responses?: Record<string, { $ref?: string; content?: Record<string, { schema?: Schema }> }>;
}

/** An OpenAPI 3.0 document, as far as the conformance check reads it. */
export interface OpenApiDocument {
  paths?: Record<string, Record<string, Operation>>;
  components?: {
    schemas?: Record<string, Schema>;
    responses?: Record<string, { content?: Record<string, { schema?: Schema }> }>;
  };
}

export interface OpenApiConformance {
  /** What in `value` the document's schema `name` does not allow; empty: it conforms. */
  schema(value: unknown, name: string): string[];
  /**
   * What in an answer of `operationId` with `status` the document does not allow: a status it
   * does not list, or a body outside that status's schema (a body where it declares none).
   */
  response(value: unknown, operationId: string, status: number): string[];
}

/**
 * Checks a simulator's real answers against its vendor's OpenAPI document: an undeclared field, a
 * missing required one, a wrong type, `null` where not nullable, a value outside an enum, a string
 * breaking its length or pattern, a number outside its range, a list over its maximum.
 * `enumExceptions` are values accepted outside any enum (a vendor answering codes its own enum
 * lacks).
 */
export function openApiConformance(
  document: OpenApiDocument,
  options: { enumExceptions?: readonly string[] } = {},
): OpenApiConformance {
  const exceptions = new Set(options.enumExceptions ?? []);

  function resolve<T>(ref: string, kind: 'schemas' | 'responses'): T {
    const name = ref.replace(`#/components/${kind}/`, '');
    const target = document.components?.[kind]?.[name];
    if (!target) throw new Error(`no ${kind} ${name}`);
    return target as T;
  }

  function check(value: unknown, schema: Schema, path: string, problems: string[]): void {
    if (schema.$ref) {
      check(value, resolve(schema.$ref, 'schemas'), path, problems);
      return;
    }
    if (value === null) {
      if (!schema.nullable && Object.keys(schema).length > 0) problems.push(`${path}: null`);
      return;
    }
    if (schema.enum && !schema.enum.includes(value) && !exceptions.has(String(value))) {
      problems.push(`${path}: ${JSON.stringify(value)} is not one of the enum`);
    }
    switch (schema.type) {
      case 'string':
        if (typeof value !== 'string') problems.push(`${path}: expected a string`);
        else if (schema.maxLength !== undefined && value.length > schema.maxLength) {
          problems.push(`${path}: longer than ${schema.maxLength}`);
        } else if (schema.minLength !== undefined && value.length < schema.minLength) {
          problems.push(`${path}: shorter than ${schema.minLength}`);
        } else if (schema.pattern !== undefined && !new RegExp(schema.pattern).test(value)) {
          problems.push(`${path}: does not match ${schema.pattern}`);
        }
        return;
      case 'integer':
      case 'number':
        if (schema.type === 'integer' ? !Number.isInteger(value) : typeof value !== 'number') {
          problems.push(
            `${path}: expected ${schema.type === 'integer' ? 'an integer' : 'a number'}`,
          );
        } else if (schema.minimum !== undefined && (value as number) < schema.minimum) {
          problems.push(`${path}: below ${schema.minimum}`);
        } else if (schema.maximum !== undefined && (value as number) > schema.maximum) {
          problems.push(`${path}: above ${schema.maximum}`);
        }
        return;
      case 'boolean':
        if (typeof value !== 'boolean') problems.push(`${path}: expected a boolean`);
        return;
      case 'array':
        if (!Array.isArray(value)) problems.push(`${path}: expected an array`);
        else {
          if (schema.maxItems !== undefined && value.length > schema.maxItems) {
            problems.push(`${path}: more than ${schema.maxItems} items`);
          }
          for (const [i, item] of value.entries())
            check(item, schema.items ?? {}, `${path}[${i}]`, problems);
        }
        return;
      default: {
        if (!schema.properties) return;
        if (typeof value !== 'object' || Array.isArray(value)) {
          problems.push(`${path}: expected an object`);
          return;
        }
        const fields = value as Record<string, unknown>;
        for (const key of schema.required ?? []) {
          if (!(key in fields)) problems.push(`${path}.${key}: missing`);
        }
        for (const [key, field] of Object.entries(fields)) {
          const declared = schema.properties[key];
          if (declared) check(field, declared, `${path}.${key}`, problems);
          else if (!schema.additionalProperties) problems.push(`${path}.${key}: not in the schema`);
        }
      }
    }
  }

  function operation(operationId: string): Operation {
    for (const item of Object.values(document.paths ?? {})) {
      for (const op of Object.values(item)) if (op.operationId === operationId) return op;
    }
    throw new Error(`no operation ${operationId}`);
  }

  return {
    schema(value, name) {
      const problems: string[] = [];
      check(value, { $ref: `#/components/schemas/${name}` }, name, problems);
      return problems;
    },
    response(value, operationId, status) {
      const declared = operation(operationId).responses?.[String(status)];
      if (!declared) return [`${operationId}: status ${status} is not documented`];
      const response = declared.$ref
        ? resolve<typeof declared>(declared.$ref, 'responses')
        : declared;
      const schema = response.content?.['application/json']?.schema;
      const label = `${operationId} ${status}`;
      if (!schema) return value === undefined ? [] : [`${label}: a body where none is documented`];
      const problems: string[] = [];
      check(value, schema, label, problems);
      return problems;
    },
  };
}
