import { ConfigurationError, environmentReader } from '@booking/server-kit/environment';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { host, integer, optionalInteger, port, share, unsetIfEmpty } from '../src/variables.js';

const schema = z.object({
  PORT: port(4199),
  HOST: host,
  TEST_LATENCY_MS: integer(0, 0, 60_000),
  TEST_FAULT_RATE: share(0.1),
  TEST_DAYS_AHEAD: optionalInteger(0, 365),
  TEST_TOKEN: z.preprocess(unsetIfEmpty, z.string().min(8).optional()),
});

/** A simulator's reader of these variables, as its `environment.ts` makes one. */
const read = environmentReader('simulator-test', schema, (variables) => variables);
const parse = (env: Record<string, string | undefined>) => read(env);

/** The `ConfigurationError` that parsing `env` throws. */
function problemsOf(env: Record<string, string | undefined>): ConfigurationError {
  try {
    parse(env);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  throw new Error('parsed without a problem');
}

describe("a simulator's variables, read by environmentReader", () => {
  it('falls back to the defaults, treating empty variables as unset', () => {
    const defaults = {
      PORT: 4199,
      HOST: '127.0.0.1',
      TEST_LATENCY_MS: 0,
      TEST_FAULT_RATE: 0.1,
      TEST_DAYS_AHEAD: undefined,
      TEST_TOKEN: undefined,
    };
    expect(parse({})).toEqual(defaults);
    expect(
      parse({
        PORT: '',
        HOST: '',
        TEST_LATENCY_MS: '',
        TEST_FAULT_RATE: '',
        TEST_DAYS_AHEAD: '',
        TEST_TOKEN: '',
      }),
    ).toEqual(defaults);
  });

  it('reads the variables as numbers into a frozen object', () => {
    const environment = parse({
      PORT: '0',
      HOST: '0.0.0.0',
      TEST_LATENCY_MS: '250',
      TEST_FAULT_RATE: '1',
      TEST_DAYS_AHEAD: '0',
    });
    expect(environment).toEqual({
      PORT: 0,
      HOST: '0.0.0.0',
      TEST_LATENCY_MS: 250,
      TEST_FAULT_RATE: 1,
      TEST_DAYS_AHEAD: 0,
    });
    expect(Object.isFrozen(environment)).toBe(true);
  });

  it('reports every problem at once, by variable and rule, never the value', () => {
    const error = problemsOf({
      PORT: '65536',
      TEST_LATENCY_MS: '1.5',
      TEST_FAULT_RATE: '2',
      TEST_DAYS_AHEAD: 'soon',
      TEST_TOKEN: 'secret',
    });
    expect(error.service).toBe('simulator-test');
    expect(error.problems.map((problem) => problem.split(':')[0])).toEqual([
      'PORT',
      'TEST_LATENCY_MS',
      'TEST_FAULT_RATE',
      'TEST_DAYS_AHEAD',
      'TEST_TOKEN',
    ]);
    expect(error.message).toMatch(/^simulator-test: invalid configuration\n {2}- PORT: /);
    expect(`${error.message}\n${error.problems.join('\n')}`).not.toContain('secret');
  });
});

describe('the variable helpers', () => {
  it('bound integers and shares at both ends', () => {
    expect(integer(5, 1, 10).parse('10')).toBe(10);
    expect(integer(5, 1, 10).safeParse('0').success).toBe(false);
    expect(integer(5, 1, 10).safeParse('11').success).toBe(false);
    expect(optionalInteger(0, 365).safeParse('366').success).toBe(false);
    expect(optionalInteger(0, 365).safeParse('-1').success).toBe(false);
    expect(share(0).parse('0.25')).toBe(0.25);
    expect(share(0).safeParse('-0.1').success).toBe(false);
    expect(share(0).safeParse('1.1').success).toBe(false);
  });

  it('take any port from 0 to 65535', () => {
    expect(port(4101).parse('0')).toBe(0);
    expect(port(4101).parse('65535')).toBe(65_535);
    expect(port(4101).safeParse('-1').success).toBe(false);
    expect(port(4101).safeParse('http').success).toBe(false);
  });
});
