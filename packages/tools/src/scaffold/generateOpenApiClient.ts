import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { createClient } from '@hey-api/openapi-ts';

/** What a provider package records (`openapi` in its package.json) to regenerate its client. */
export interface OpenApiInputs {
  /** The vendor's OpenAPI 3 document, relative to the repository root. */
  document: string;
  /** The operationIds the provider calls; nothing else is generated. */
  operations: string[];
}

/** One generated operation: how the kit's REST transport sends it. */
export interface OperationEntry {
  id: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
}

type Json = Record<string, unknown>;
const methods = ['get', 'post', 'put', 'patch', 'delete'] as const;

/**
 * The document cut down to `operationIds` and the components they reach, so that the generator
 * sees nothing else (Square's document is 3 MB). A reference the document does not define (vendor
 * documents have them) becomes an unconstrained schema and is reported in `missing`; a reference
 * outside the document (a URL) is refused, since generation must not depend on the network.
 */
export function reduceOpenApiDocument(
  document: Json,
  operationIds: readonly string[],
): { document: Json; operations: OperationEntry[]; missing: string[] } {
  const paths: Record<string, Json> = {};
  const operations: OperationEntry[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Json>)) {
    for (const method of methods) {
      const operation = item[method] as Json | undefined;
      const id = operation?.operationId;
      if (typeof id !== 'string' || !operationIds.includes(id)) continue;
      paths[path] = { ...paths[path], [method]: operation };
      if (item.parameters) paths[path] = { ...paths[path], parameters: item.parameters };
      operations.push({ id, method: method.toUpperCase() as OperationEntry['method'], path });
    }
  }
  const unknown = operationIds.filter((id) => !operations.some((op) => op.id === id));
  if (unknown.length > 0) {
    throw new Error(`the OpenAPI document has no operation ${unknown.join(', ')}`);
  }
  const all = (document.components ?? {}) as Record<string, Record<string, unknown>>;
  const components: Record<string, Record<string, unknown>> = {};
  const missing = new Set<string>();
  const seen = new Set<string>();
  const pending: unknown[] = [paths];
  while (pending.length > 0) {
    const value = pending.pop();
    if (Array.isArray(value)) pending.push(...value);
    else if (value && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        if (key !== '$ref' || typeof child !== 'string') {
          pending.push(child);
          continue;
        }
        if (!child.startsWith('#/components/')) {
          throw new Error(`the OpenAPI document refers outside itself (${child})`);
        }
        if (seen.has(child)) continue;
        seen.add(child);
        const [, , kind = '', name = ''] = child.split('/');
        const target = all[kind]?.[name];
        if (target === undefined) missing.add(child);
        components[kind] = { ...components[kind], [name]: target ?? {} };
        pending.push(target);
      }
    }
  }
  if (all.securitySchemes) components.securitySchemes = all.securitySchemes;
  const sorted = Object.fromEntries(
    Object.entries(components).map(([kind, entries]) => [
      kind,
      Object.fromEntries(Object.entries(entries).sort(([a], [b]) => a.localeCompare(b))),
    ]),
  );
  operations.sort((a, b) => a.id.localeCompare(b.id));
  return {
    document: { openapi: document.openapi, info: document.info, paths, components: sorted },
    operations,
    missing: [...missing].sort(),
  };
}

const suffixes = { body: 'OperationBody', path: 'OperationPath', query: 'OperationQuery' } as const;

/** The generated zod schema of `operation`'s `part`, or undefined when the operation has none. */
function schemaName(zodSource: string, operation: string, suffix: string): string | undefined {
  const key = operation.replace(/[^a-z0-9]/gi, '').toLowerCase();
  for (const match of zodSource.matchAll(new RegExp(`export const (z(\\w+)${suffix}) =`, 'g'))) {
    if (match[2]!.replace(/[^a-z0-9]/gi, '').toLowerCase() === key) return match[1];
  }
  return undefined;
}

/**
 * `client.gen.ts`: one request builder per operation that validates its input against the
 * document's schemas (throwing `InvalidOperationInput`, naming paths and rules, never values) and
 * answers the request for the kit's `sendRestRequest`, its answer's schema included.
 */
export function renderOperations(
  operations: readonly OperationEntry[],
  zodSource: string,
  banner: string,
): string {
  const used = new Set<string>();
  const builders = operations.map((op) => {
    const response = schemaName(zodSource, op.id, 'OperationResponse');
    if (!response) throw new Error(`no response schema was generated for ${op.id}`);
    used.add(response);
    const parts = Object.entries(suffixes).flatMap(([part, suffix]) => {
      const name = schemaName(zodSource, op.id, suffix);
      if (name) used.add(name);
      return name ? [[part, name] as const] : [];
    });
    const input = parts.map(([part, name]) => `${part}: z.input<typeof ${name}>`).join('; ');
    const fields = parts.map(([part, name]) => {
      const checked = `check('${op.id}', '${part}', ${name}, input.${part})`;
      if (part === 'body') return `    body: ${checked},`;
      return `    ${part === 'path' ? 'params' : 'query'}: asStrings(${checked}),`;
    });
    return [
      `/** \`${op.method} ${op.path}\` */`,
      `export function ${op.id}(${parts.length ? `input: { ${input} }` : ''}) {`,
      '  return {',
      `    method: '${op.method}' as const,`,
      `    path: '${op.path}',`,
      ...fields,
      `    schema: ${response},`,
      '  };',
      '}',
    ].join('\n');
  });
  const table = operations.map(
    (op) => `  ${op.id}: { method: '${op.method}', path: '${op.path}' },`,
  );
  return [
    banner,
    "import type { z } from 'zod';",
    "import { checkOperationInput as check, InvalidOperationInput, operationValues as asStrings } from '@booking/provider-kit';",
    `import { ${[...used].sort().join(', ')} } from './zod.gen.js';`,
    '',
    "// The checks and their error are the kit's (`packages/provider-kit/src/openapi/operationInput.ts`).",
    'export { InvalidOperationInput };',
    '',
    '/** Every generated operation: its method and path template. */',
    'export const operations = {',
    ...table,
    '} as const;',
    '',
    ...builders.flatMap((builder) => [builder, '']),
  ].join('\n');
}

/**
 * Generates a provider's typed client from its recorded `openapi` inputs into
 * `<packageDir>/src/__generated__/`: the document's types (`types.gen.ts`), zod schemas
 * (`zod.gen.ts`) and the request builders (`client.gen.ts`), for the named operations only.
 * Deterministic, so `npm run check:generated` can regenerate and compare.
 */
export async function generateOpenApiClient(
  repoRoot: string,
  packageDir: string,
  inputs: OpenApiInputs,
): Promise<{ operations: OperationEntry[]; missing: string[] }> {
  const source = JSON.parse(readFileSync(join(repoRoot, inputs.document), 'utf8')) as Json;
  const reduced = reduceOpenApiDocument(source, inputs.operations);
  const output = join(packageDir, 'src', '__generated__');
  const manifest = `${relative(repoRoot, packageDir)}/package.json`;
  const banner = [
    `// Generated by \`npm run generate:clients\` from ${inputs.document} (the operations in ${manifest}, "openapi"). Do not edit.`,
    ...reduced.missing.map(
      (ref) => `// The document does not define ${ref}: generated as unknown.`,
    ),
  ];
  mkdirSync(output, { recursive: true });
  await createClient({
    input: reduced.document as never,
    output: { path: output, clean: true, entryFile: false, header: banner },
    plugins: [
      '@hey-api/typescript',
      {
        name: 'zod',
        requests: {
          body: { name: `z{{name}}${suffixes.body}` },
          path: { name: `z{{name}}${suffixes.path}` },
          query: { name: `z{{name}}${suffixes.query}` },
          headers: false,
        },
        responses: { name: 'z{{name}}OperationResponse' },
      },
    ],
    // A failure is thrown to the caller; no error-log file is left in the working directory.
    logs: { level: 'silent', file: false },
  } as never);
  const zodSource = readFileSync(join(output, 'zod.gen.ts'), 'utf8');
  writeFileSync(
    join(output, 'client.gen.ts'),
    renderOperations(reduced.operations, zodSource, banner.join('\n')),
  );
  return { operations: reduced.operations, missing: reduced.missing };
}

/** The `openapi` inputs recorded in a provider's package.json, or undefined when it has none. */
export function readOpenApiInputs(packageDir: string): OpenApiInputs | undefined {
  if (!existsSync(join(packageDir, 'package.json'))) return undefined;
  const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
    openapi?: OpenApiInputs;
  };
  return manifest.openapi;
}
