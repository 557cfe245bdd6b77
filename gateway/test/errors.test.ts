import { GraphQLError } from 'graphql';
import { describe, expect, it } from 'vitest';
import { clientInputErrors } from '../src/clientInputErrors.js';
import { createErrorFormatter } from '../src/createErrorFormatter.js';

describe('createErrorFormatter', () => {
  const internal = {
    message: '400: Bad Request',
    extensions: {
      code: 'INTERNAL_SERVER_ERROR',
      serviceName: 'scheduling',
      response: { url: 'http://10.0.0.7:4001/graphql', status: 400, body: { errors: [] } },
      stacktrace: ['GraphQLError: 400: Bad Request', '    at errorFromResponse (…)'],
    },
  };

  it('development: keeps the insides for the developer, under extensions.debug only', () => {
    expect(createErrorFormatter('development')(internal, new GraphQLError('x'))).toEqual({
      message: '400: Bad Request',
      extensions: {
        code: 'INTERNAL_SERVER_ERROR',
        debug: {
          serviceName: 'scheduling',
          response: internal.extensions.response,
          stacktrace: internal.extensions.stacktrace,
        },
      },
    });
  });

  it('tests: leaves the insides out; production: masks the error too', () => {
    expect(createErrorFormatter('test')(internal, new GraphQLError('x'))).toEqual({
      message: '400: Bad Request',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
    expect(createErrorFormatter('production')(internal, new GraphQLError('x'))).toEqual({
      message: 'Internal server error',
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    });
  });

  it('gives Apollo Server’s own 4xx refusals without a code (a hash that is not its text’s) BAD_USER_INPUT, in every mode', () => {
    const mismatch = new GraphQLError('provided sha does not match query', {
      extensions: { http: { status: 400 } },
    });
    const formatted = {
      message: mismatch.message,
      extensions: { code: 'INTERNAL_SERVER_ERROR' },
    };
    for (const mode of ['development', 'test', 'production'] as const) {
      expect(createErrorFormatter(mode)(formatted, mismatch)).toEqual({
        message: 'provided sha does not match query',
        extensions: { code: 'BAD_USER_INPUT' },
      });
    }
  });
});

describe('clientInputErrors: a subgraph’s 400 as the client’s input, or not', () => {
  const debug = { subgraph: 'scheduling' };
  const query =
    'query($f:AvailabilityFilter!){availability(filter:{from:"2026-02-30T10:00:00+01:00",to:"2026-12-11T10:00:00Z"}){__typename} x:availability(filter:$f){__typename}}';

  it('names a client variable’s path, down to list items', () => {
    const message =
      'Variable "$f" got invalid value "x" at "f.clinicIds[2]"; Expected type "ID". Not an id';
    expect(
      clientInputErrors(
        { errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] },
        query,
        new Set(['f']),
        debug,
      ),
    ).toEqual([
      {
        message,
        extensions: {
          code: 'BAD_USER_INPUT',
          field: '$f.clinicIds[2]',
          debug,
          http: { status: 400 },
        },
      },
    ]);
  });

  it('names the argument of a literal the subgraph refused, from its location in the query the gateway sent', () => {
    const column = query.indexOf('"2026-02-30') + 1;
    const [error] = clientInputErrors(
      {
        errors: [
          {
            message: 'DateTime must be an RFC 3339 date-time with an offset',
            locations: [{ line: 1, column }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
      query,
      new Set(['f']),
      debug,
    )!;
    expect(error).toMatchObject({
      message: 'filter.from: DateTime must be an RFC 3339 date-time with an offset',
      extensions: { code: 'BAD_USER_INPUT', field: 'filter.from' },
    });
  });

  it('leaves what is not the client’s a server error: the gateway’s own variables, a query out of step, an unreadable answer', () => {
    const refusals = [
      {
        errors: [
          {
            message: 'Variable "$representations" got invalid value []; Expected non-empty',
            extensions: { code: 'BAD_USER_INPUT' },
          },
        ],
      },
      {
        errors: [
          {
            message: 'Cannot query field "availability" on type "Query".',
            locations: [{ line: 1, column: 32 }],
            extensions: { code: 'GRAPHQL_VALIDATION_FAILED' },
          },
        ],
      },
      {
        errors: [
          { message: 'Variable "$f" got invalid value 1', extensions: { code: 'BAD_USER_INPUT' } },
          {
            message: 'Syntax Error: Unexpected "}".',
            extensions: { code: 'GRAPHQL_PARSE_FAILED' },
          },
        ],
      },
      'Bad Request',
      { errors: [] },
    ];
    for (const body of refusals) {
      expect(clientInputErrors(body, query, new Set(['f']), debug)).toBeUndefined();
    }
  });
});
