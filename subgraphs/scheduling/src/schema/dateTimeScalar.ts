import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import { parseInstant } from '../engines/dateTime.js';

/**
 * `value` as an instant's text, or a `BAD_USER_INPUT` error. A literal's error carries its node, so
 * its location says which argument of the document it is: the gateway names it from there.
 */
function parse(value: unknown, node?: ValueNode): string {
  if (typeof value !== 'string' || parseInstant(value) === null) {
    throw new GraphQLError(
      'DateTime must be an RFC 3339 date-time with an offset, e.g. 2026-03-29T09:30:00+02:00',
      { extensions: { code: 'BAD_USER_INPUT' }, ...(node && { nodes: node }) },
    );
  }
  return value;
}

/** `DateTime`: RFC 3339 with an explicit offset, validated on input, passed through on output. */
export const dateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant in RFC 3339 form with an explicit offset.',
  serialize: (value) => value as string,
  parseValue: (value) => parse(value),
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined, ast),
});
