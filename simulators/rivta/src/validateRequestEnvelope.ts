import { createSchemaValidator } from './createSchemaValidator.js';
import { standardsDirFromEnvironment } from './environment.js';
import { type InteractionName, interactions } from './interactions.js';
import { parseRequest, SoapFault } from './soapMessages.js';

/**
 * Checks a request envelope exactly as the simulator checks what it receives (SOAP 1.1 envelope,
 * RIVTABP21 headers, payload against the official schemas). Returns the problems, empty when the
 * simulator would accept it. For consumers' tests of the envelopes they build.
 */
export function validateRequestEnvelope(
  xml: string,
  name: InteractionName,
  /** Default: `RIVTA_STANDARDS_DIR`, else the standards folder beside the repository. */
  standardsDir: string = standardsDirFromEnvironment(),
): string[] {
  const problems: string[] = [];
  try {
    parseRequest(xml, interactions.get(name)!, createSchemaValidator(standardsDir), (found) =>
      problems.push(...found),
    );
    return [];
  } catch (error) {
    if (error instanceof SoapFault) return problems.length > 0 ? problems : [error.faultString];
    throw error;
  }
}
