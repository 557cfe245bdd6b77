import {
  type ASTNode,
  type GraphQLFormattedError,
  getLocation,
  Kind,
  parse,
  type SourceLocation,
  visit,
} from 'graphql';
import { badUserInput, GatewayErrorCode } from './errors.js';

/** graphql-js's words for a variable it cannot coerce: `Variable "$f" got invalid value … at "f.from"; …`. */
const variableError = /^Variable "\$([_A-Za-z][_0-9A-Za-z]*)"/;

/** The path inside variable `name` that graphql-js names, e.g. `f.from` or `f.clinics[2]`. */
const pathInVariable = (message: string, name: string) =>
  new RegExp(` at "(${name}(?:\\.[_A-Za-z][_0-9A-Za-z]*|\\[\\d+\\])*)"; `).exec(message)?.[1] ??
  name;

const literalKinds: ReadonlySet<string> = new Set([
  Kind.STRING,
  Kind.INT,
  Kind.FLOAT,
  Kind.BOOLEAN,
  Kind.NULL,
  Kind.ENUM,
  Kind.LIST,
  Kind.OBJECT,
]);

/**
 * The argument path (`filter.from`) of the literal value at `location` of `query`, the operation the
 * gateway sent; undefined when no literal starts there (a variable, or anything else).
 */
function literalPathAt(query: string, location: SourceLocation): string | undefined {
  let document: ReturnType<typeof parse>;
  try {
    document = parse(query);
  } catch {
    return undefined;
  }
  const source = document.loc?.source;
  if (!source) return undefined;
  const names = (node: ASTNode) =>
    node.kind === Kind.ARGUMENT || node.kind === Kind.OBJECT_FIELD ? node.name.value : undefined;
  const path: string[] = [];
  let found: string | undefined;
  visit(document, {
    enter(node) {
      const name = names(node);
      if (name !== undefined) path.push(name);
      if (found !== undefined || !literalKinds.has(node.kind) || !node.loc || path.length === 0) {
        return;
      }
      const at = getLocation(source, node.loc.start);
      if (at.line === location.line && at.column === location.column) found = path.join('.');
    },
    leave(node) {
      if (names(node) !== undefined) path.pop();
    },
  });
  return found;
}

/** One error of a subgraph's refusal as the client's, or undefined when it is not about its input. */
function asClientInput(
  error: GraphQLFormattedError,
  query: string,
  clientVariables: ReadonlySet<string>,
  debug: Record<string, unknown>,
): GraphQLFormattedError | undefined {
  const code = error.extensions?.code;
  let refused: ReturnType<typeof badUserInput> | undefined;
  if (code === GatewayErrorCode.BadUserInput) {
    const variable = variableError.exec(error.message)?.[1];
    const field =
      variable !== undefined
        ? `$${pathInVariable(error.message, variable)}`
        : typeof error.extensions?.field === 'string'
          ? error.extensions.field
          : undefined;
    // A variable the gateway made (`$representations`) is the gateway's, not the client's.
    if (field === undefined || (variable !== undefined && !clientVariables.has(variable))) {
      return undefined;
    }
    refused = badUserInput(error.message, { field, debug });
  } else if (code === 'GRAPHQL_VALIDATION_FAILED' && error.locations?.[0]) {
    // A literal the client wrote in its document, which the subgraph's scalar refuses.
    const field = literalPathAt(query, error.locations[0]);
    if (field === undefined) return undefined;
    refused = badUserInput(`${field}: ${error.message}`, { field, debug });
  }
  if (!refused) return undefined;
  return { message: refused.message, extensions: refused.extensions };
}

/**
 * A subgraph's HTTP 400 (it refused the request before running it) as what the client is told:
 * every error about a value the client sent becomes `BAD_USER_INPUT` (400) naming it, with the
 * subgraph's answer under `debug`. Undefined when any error is about something else (the gateway's
 * own query, a subgraph out of step with the supergraph): that stays a server error.
 *
 * @param body The subgraph's answer.
 * @param query The operation the gateway sent the subgraph, where the errors' locations point.
 * @param clientVariables The names of the variables the client's operation declares.
 */
export function clientInputErrors(
  body: unknown,
  query: string,
  clientVariables: ReadonlySet<string>,
  debug: Record<string, unknown>,
): GraphQLFormattedError[] | undefined {
  const errors = (body as { errors?: unknown } | null)?.errors;
  if (!Array.isArray(errors) || errors.length === 0) return undefined;
  const translated = (errors as GraphQLFormattedError[]).map((error) =>
    typeof error?.message === 'string'
      ? asClientInput(error, query, clientVariables, debug)
      : undefined,
  );
  return translated.every((error) => error !== undefined) ? translated : undefined;
}
