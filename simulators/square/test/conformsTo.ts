import { readFileSync } from 'node:fs';
import { type OpenApiDocument, openApiConformance } from '@booking/simulator-kit';

const document = JSON.parse(
  readFileSync(new URL('../../../standards/square-connect/api.json', import.meta.url), 'utf8'),
) as OpenApiDocument;

/**
 * Codes Square answers that its `ErrorCode` enum lacks: `VERSION_MISMATCH` appears only in
 * `x-endpoint-errors` and field descriptions of the document.
 */
const conformance = openApiConformance(document, { enumExceptions: ['VERSION_MISMATCH'] });

/**
 * What in `value` the named schema of Square's OpenAPI document does not allow (the simulator
 * kit's `openApiConformance`). Empty: conforms.
 */
export function conformsTo(value: unknown, schemaName: string): string[] {
  return conformance.schema(value, schemaName);
}
