import fc from 'fast-check';

/**
 * Random requests for the fuzz test: mostly the API's real `operations` with random variables, so
 * they reach the resolvers and the ledger, and otherwise random or token-soup documents and deeply
 * nested selections.
 */
export function fuzzRequests(operations: readonly string[]) {
  const scalar = fc.oneof(
    fc.string({ maxLength: 40 }),
    fc.string({ unit: 'grapheme', maxLength: 40 }),
    fc.integer(),
    fc.double(),
    fc.constantFrom(
      Number.MAX_SAFE_INTEGER,
      -1,
      1e308,
      '2026-02-30T10:00:00+01:00',
      '2026-11-26T25:00:00+01:00',
      '2026-11-26T10:00:00+14:30',
      '2026-11-26T10:00:00',
      'Europe/Atlantis',
      '',
      '💥',
      '\u0000',
      null,
      true,
    ),
  );
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    node: fc.oneof(
      { depthSize: 'small' },
      scalar,
      fc.array(tie('node'), { maxLength: 5 }),
      fc.dictionary(
        fc.constantFrom(
          'from',
          'to',
          'slotId',
          'first',
          'near',
          'patient',
          'idempotencyKey',
          'reservationId',
          'x',
        ),
        tie('node'),
        { maxKeys: 5 },
      ),
    ),
  })).node;
  const documents = fc.oneof(
    // Mostly the real operations, so random variables reach the resolvers and the ledger.
    {
      weight: 6,
      arbitrary: fc.constantFrom(...operations),
    },
    fc.string({ maxLength: 200 }),
    fc
      .integer({ min: 1, max: 60 })
      .map((n) => `${'{ clinics { edges { node { '.repeat(n)}${'} } } '.repeat(n)}`),
    fc
      .array(
        fc.constantFrom(
          '{',
          '}',
          '(',
          ')',
          'query',
          'mutation',
          '$x',
          ':',
          '...',
          'on',
          '@skip',
          'availability',
          'filter',
          '"',
          '#',
        ),
        { maxLength: 80 },
      )
      .map((t) => t.join(' ')),
  );
  const variables = fc.oneof(
    value,
    fc.record({ filter: value }),
    fc.record({ input: value }),
    fc.record({ id: scalar }),
    fc.record({ first: fc.oneof(fc.integer(), fc.constant(1e12), fc.constant(-5)) }),
  );
  return { documents, variables };
}
