import { describe, expect, it } from 'vitest';
import {
  type PatientInput,
  type PatientValidation,
  validatePatient,
} from '../src/validatePatient.js';

/** Wednesday 2026-03-25, 09:00 in Stockholm. */
const now = () => Date.parse('2026-03-25T08:00:00Z');

const valid: PatientInput = {
  personalIdentityNumber: '19900101-0017',
  givenName: 'Testa',
  familyName: 'Testsson',
};

const check = (patch: Partial<PatientInput>) => validatePatient({ ...valid, ...patch }, { now });

/** The Luhn check digit over the last nine digits before it (YYMMDDNNN), as Skatteverket does. */
function withCheckDigit(first: string): string {
  const digits = first.slice(-9);
  let sum = 0;
  for (let i = 0; i < digits.length; i += 1) {
    const product = Number(digits[i]) * (i % 2 === 0 ? 2 : 1);
    sum += product > 9 ? product - 9 : product;
  }
  return `${first}${(10 - (sum % 10)) % 10}`;
}

function identityOf(result: PatientValidation) {
  if (!result.ok) throw new Error(`expected a valid patient, got ${result.field}`);
  return { number: result.patient.personalIdentityNumber, kind: result.patient.kind };
}

function failedField(result: PatientValidation) {
  return result.ok ? undefined : result.field;
}

describe('validatePatient: personal identity number', () => {
  it('computes check digits like the published test numbers', () => {
    expect(withCheckDigit('19900101001')).toBe('199001010017');
    expect(withCheckDigit('19850709980')).toBe('198507099805');
    expect(withCheckDigit('19850769980')).toBe('198507699802');
  });

  it.each(['19900101-0017', '199001010017', '900101-0017', '9001010017', ' 19900101-0017 '])(
    'accepts the personnummer %j and normalises it to 12 digits',
    (value) => {
      expect(identityOf(check({ personalIdentityNumber: value }))).toEqual({
        number: '199001010017',
        kind: 'personnummer',
      });
    },
  );

  it('accepts a samordningsnummer, 10 or 12 digits, and reports its kind', () => {
    for (const value of ['198507699802', '19850769-9802', '850769-9802']) {
      expect(identityOf(check({ personalIdentityNumber: value }))).toEqual({
        number: '198507699802',
        kind: 'samordningsnummer',
      });
    }
    expect(identityOf(check({ personalIdentityNumber: '198507099805' })).kind).toBe('personnummer');
  });

  it('reads a 10-digit number as under 100 years old, or 100 and over with +', () => {
    const number = withCheckDigit('19230415123');
    const short = number.slice(2, 8);
    const serial = number.slice(8);
    expect(identityOf(check({ personalIdentityNumber: `${short}+${serial}` })).number).toBe(number);
    expect(identityOf(check({ personalIdentityNumber: `${short}-${serial}` })).number).toBe(
      `20${number.slice(2)}`,
    );
  });

  it('picks the century by the date, so a 10-digit birthday later this year is 100 years ago', () => {
    const tomorrowLastCentury = withCheckDigit('19260326123');
    const today = withCheckDigit('20260325123');
    expect(identityOf(check({ personalIdentityNumber: tomorrowLastCentury.slice(2) })).number).toBe(
      tomorrowLastCentury,
    );
    expect(identityOf(check({ personalIdentityNumber: today.slice(2) })).number).toBe(today);
  });

  it.each([
    ['a wrong check digit', '19900101-0018'],
    ['31 February with a valid check digit', withCheckDigit('19900231001')],
    ['a samordningsnummer of 31 February', withCheckDigit('19900291001')],
    ['month 13', withCheckDigit('19901301001')],
    ['9 digits', '900101001'],
    ['11 digits', '19900101001'],
    ['13 digits', '1990010100170'],
    ['an empty string', ''],
    ['a letter among the digits', '19900101-001A'],
    ['an interim number (letter in the serial)', '19900101-T017'],
    ['a letter O for a zero', '199O0101-0017'],
    ['a separator in the wrong place', '1990-01010017'],
    ['two separators', '19900101--0017'],
  ])('rejects %s', (_scenario, value) => {
    expect(failedField(check({ personalIdentityNumber: value }))).toBe(
      'patient.personalIdentityNumber',
    );
  });

  it('rejects a date of birth in the future, also one later this year', () => {
    for (const first of ['20270101123', '20261231123', '20260326123', '20260386123']) {
      const result = check({ personalIdentityNumber: withCheckDigit(first) });
      expect(result).toMatchObject({
        ok: false,
        field: 'patient.personalIdentityNumber',
        message: 'must not have a date of birth in the future',
      });
    }
    expect(check({ personalIdentityNumber: withCheckDigit('20260325123') }).ok).toBe(true);
  });
});

describe('validatePatient: names, email and phone', () => {
  it('trims the names and leaves absent contact details null', () => {
    const result = check({ givenName: '  Åsa ', familyName: ' Öberg-Lind\t', email: null });
    expect(result).toEqual({
      ok: true,
      patient: {
        personalIdentityNumber: '199001010017',
        kind: 'personnummer',
        givenName: 'Åsa',
        familyName: 'Öberg-Lind',
        email: null,
        phone: null,
      },
    });
  });

  it('reads an empty email or phone from a form as not given', () => {
    const result = check({ email: '  ', phone: '' });
    expect(result.ok && [result.patient.email, result.patient.phone]).toEqual([null, null]);
  });

  it('normalises composed and decomposed letters to the same name', () => {
    const decomposed = 'A\u030Asa';
    const result = check({ givenName: decomposed });
    expect(result.ok && result.patient.givenName).toBe('Åsa');
  });

  it.each([
    ['givenName', ''],
    ['givenName', '   '],
    ['givenName', 'x'.repeat(101)],
    ['givenName', 'Testa\nDROP'],
    ['familyName', 'Tests\u0000son'],
    ['familyName', 'Tests\u2028son'],
  ] as const)('rejects %s %j', (field, value) => {
    expect(failedField(check({ [field]: value }))).toBe(`patient.${field}`);
  });

  it('accepts names of exactly 100 characters, counting letters not UTF-16 units', () => {
    expect(check({ givenName: 'å'.repeat(100) }).ok).toBe(true);
    expect(check({ familyName: '𝔄'.repeat(100) }).ok).toBe(true);
  });

  it.each([
    ['testa@example.se', 'testa@example.se'],
    [' Testa.Testsson+bokning@Example.SE ', 'Testa.Testsson+bokning@example.se'],
    ['info@räksmörgås.se', 'info@räksmörgås.se'],
    ['a@b.co', 'a@b.co'],
    ['info@xn--rksmrgs-5wao1o.se', 'info@xn--rksmrgs-5wao1o.se'],
  ])('accepts the email %j as %j', (value, normalised) => {
    const result = check({ email: value });
    expect(result.ok && result.patient.email).toBe(normalised);
  });

  it.each([
    'testa',
    'testa@',
    '@example.se',
    'testa@example',
    'testa@@example.se',
    'te sta@example.se',
    '.testa@example.se',
    'testa..t@example.se',
    'testa@-example.se',
    'testa@example.s',
    'testa@exa_mple.se',
    // What a URL would read as a path, port, query, fragment, credentials or address literal.
    'testa@example.se/x',
    'testa@example.se:25',
    'testa@example.se?x',
    'testa@example.se#x',
    'testa@x@example.se',
    'testa@[::1]',
    'testa@127.0.0.1',
    'testa@ex%61mple.se',
    'testa@exam ple.se',
    'testa@example.se.',
    `${'a'.repeat(65)}@example.se`,
    `testa@${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(60)}.se`,
  ])('rejects the email %j', (value) => {
    expect(failedField(check({ email: value }))).toBe('patient.email');
  });

  it.each([
    ['070-123 45 67', '+46701234567'],
    ['0701234567', '+46701234567'],
    ['+46 70 123 45 67', '+46701234567'],
    ['+46 (0)70 123 45 67', '+46701234567'],
    ['+46070-1234567', '+46701234567'],
    ['0046 70 123 45 67', '+46701234567'],
    ['08-123 456 78', '+46812345678'],
    ['+47 412 34 567', '+4741234567'],
    ['+1 (212) 555-0100', '+12125550100'],
  ])('normalises the phone number %j to E.164 %j', (value, e164) => {
    const result = check({ phone: value });
    expect(result.ok && result.patient.phone).toBe(e164);
  });

  it.each([
    '701234567',
    '070-CALL-ME',
    '+46 70',
    '+46 70 123 45 67 89 01 23',
    '+0 70 123 45 67',
    '070 123 45 67 ext 12',
  ])('rejects the phone number %j', (value) => {
    expect(failedField(check({ phone: value }))).toBe('patient.phone');
  });

  it('reports the first bad field in input order', () => {
    expect(
      failedField(check({ personalIdentityNumber: 'x', givenName: '', email: 'x', phone: 'x' })),
    ).toBe('patient.personalIdentityNumber');
    expect(failedField(check({ givenName: '', email: 'x' }))).toBe('patient.givenName');
    expect(failedField(check({ email: 'x', phone: 'x' }))).toBe('patient.email');
  });
});

describe('validatePatient: error messages', () => {
  const invalidInputs: [keyof PatientInput, string][] = [
    ['personalIdentityNumber', '19900101-0018'],
    ['personalIdentityNumber', withCheckDigit('19900231001')],
    ['personalIdentityNumber', withCheckDigit('20270101123')],
    ['personalIdentityNumber', '19900101-001A'],
    ['personalIdentityNumber', '1990010100170'],
    ['givenName', `Testa${'x'.repeat(100)}`],
    ['familyName', 'Tests\nson'],
    ['email', 'testa.testsson@example'],
    ['email', `${'testa'.repeat(60)}@example.se`],
    ['phone', '070-CALL-ME'],
    ['phone', '+46 70 123 45 67 89 01 23'],
  ];

  it.each(invalidInputs)('never repeat the %s given (%j)', (field, value) => {
    const result = check({ [field]: value });
    expect(result.ok).toBe(false);
    const message = result.ok ? '' : result.message;
    expect(message.length).toBeGreaterThan(0);
    expect(message).not.toContain(value);
    expect(message).not.toContain(value.trim());
    // Nor a recognisable piece of it, such as the date part of an identity number.
    const digits = value.replace(/\D/g, '');
    if (digits.length >= 6) expect(message).not.toContain(digits.slice(0, 6));
  });
});
