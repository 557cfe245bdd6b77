import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { parseInstant } from '../engines/dateTime.js';

function parse(value: unknown): string {
  if (typeof value !== 'string' || parseInstant(value) === null) {
    throw new GraphQLError(
      'DateTime must be an RFC 3339 date-time with an offset, e.g. 2026-03-29T09:30:00+02:00',
      { extensions: { code: 'BAD_USER_INPUT' } },
    );
  }
  return value;
}

/** `DateTime`: RFC 3339 with an explicit offset, validated on input, passed through on output. */
export const dateTimeScalar = new GraphQLScalarType<string, string>({
  name: 'DateTime',
  description: 'An instant in RFC 3339 form with an explicit offset.',
  serialize: (value) => value as string,
  parseValue: parse,
  parseLiteral: (ast) => parse(ast.kind === Kind.STRING ? ast.value : undefined),
});
