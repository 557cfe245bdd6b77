import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import * as client from '../src/__generated__/client.gen.js';

// The generator's inputs, as recorded for `npm run check:generated`.
const { openapi } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const recorded: string[] = openapi.operations;
const builders = client as unknown as Record<string, (input?: unknown) => unknown>;

describe("the Square client generated from the vendor's OpenAPI document", () => {
  it('has a request builder for every recorded operation and nothing else', () => {
    expect(Object.keys(client.operations).sort()).toEqual([...recorded].sort());
    for (const id of recorded) expect(typeof builders[id]).toBe('function');
  });

  it("refuses input that breaks the document's schemas, naming the rule and never the value", () => {
    const secret = 'value-that-must-not-be-logged';
    for (const id of recorded.filter((operation) => builders[operation]!.length > 0)) {
      let thrown: unknown;
      try {
        builders[id]!({ body: secret, path: secret, query: secret });
      } catch (error) {
        thrown = error;
      }
      expect(thrown, id).toBeInstanceOf(client.InvalidOperationInput);
      expect((thrown as Error).message).not.toContain(secret);
    }
  });
});
