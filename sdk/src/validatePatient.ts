import personnummerPackage from 'personnummer';
import type { PatientInput } from './__generated__/graphql.js';

export type { PatientInput };

// The package is CommonJS (`module.exports = Personnummer`) with types written as an ES default
// export, so TypeScript under NodeNext types the default import as `{ default: Personnummer }`
// (a bundler's resolution: the class itself) while Node hands over the class itself. Accept
// either shape rather than trust one of them.
type PersonnummerImport = typeof personnummerPackage;
type PersonnummerClass = PersonnummerImport extends { default: infer C } ? C : PersonnummerImport;
const Personnummer: PersonnummerClass =
  (personnummerPackage as unknown as { default?: PersonnummerClass }).default ??
  (personnummerPackage as unknown as PersonnummerClass);

/** A patient whose every field has been checked and normalised. */
export interface ValidPatient {
  /** Twelve digits, `YYYYMMDDNNNN`, without separator. */
  personalIdentityNumber: string;
  /** A samordningsnummer has 60 added to the day of birth. */
  kind: 'personnummer' | 'samordningsnummer';
  givenName: string;
  familyName: string;
  email: string | null;
  /** E.164, e.g. `+46701234567`. */
  phone: string | null;
}

export type PatientValidation =
  | { ok: true; patient: ValidPatient }
  | { ok: false; field: string; message: string };

export interface ValidatePatientOptions {
  /**
   * The clock, for rejecting birth dates in the future and for the century of a 10-digit number.
   * Default: `Date.now`.
   */
  now?: () => number;
}

/** Dates of birth are Swedish calendar dates, so "today" is today in Sweden. */
const zone = 'Europe/Stockholm';
const maxNameLength = 100;
const maxEmailLength = 254;
const maxEmailLocalLength = 64;

const identityPattern = /^(\d{2})?(\d{2})(\d{2})(\d{2})([-+]?)(\d{4})$/;
// Control characters and Unicode line breaks would split a log line or a CSV export.
const forbiddenInName = /[\p{Cc}\p{Zl}\p{Zp}]/u;
// RFC 5322's dot-atom local part; quoted local parts are legal but no clinic system takes them.
const emailLocal = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
const domainLabel = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
// What URL syntax would read as credentials, a port, a path, a query or a fragment rather than as
// part of a host name.
const notInHostName = /[\s/\\?#@:%[\]]/;
const phoneCharacters = /^\+?[\d\s().-]+$/;

type FieldCheck<T> = { ok: true; value: T } | { ok: false; message: string };

const ok = <T>(value: T): FieldCheck<T> => ({ ok: true, value });
// Messages are fixed texts and never echo the value: they can end up in logs.
const bad = (message: string): FieldCheck<never> => ({ ok: false, message });

const pad2 = (value: number) => String(value).padStart(2, '0');

const swedishCalendar = new Intl.DateTimeFormat('en-US', {
  timeZone: zone,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** The date in Sweden at `ms` as `YYYY-MM-DD`. */
function swedishDate(ms: number): string {
  const part = Object.fromEntries(
    swedishCalendar.formatToParts(ms).map(({ type, value }) => [type, value]),
  );
  return `${part.year!.padStart(4, '0')}-${part.month}-${part.day}`;
}

/**
 * The full year of a 10-digit number: the latest date of birth not after today, or a century
 * earlier with `+` (Skatteverket's sign for someone who has turned 100). Worked out by date,
 * not by year alone, so `260326` read on 2026-03-25 is 1926, not a birthday tomorrow.
 */
function inferYear(yy: number, monthDay: string, plus: boolean, today: string): number {
  const thisYear = Number(today.slice(0, 4));
  let year = thisYear - ((((thisYear - yy) % 100) + 100) % 100);
  if (`${year}-${monthDay}` > today) year -= 100;
  return plus ? year - 100 : year;
}

function checkIdentityNumber(
  value: string,
  today: string,
): FieldCheck<Pick<ValidPatient, 'personalIdentityNumber' | 'kind'>> {
  const match = identityPattern.exec(value.trim());
  if (!match) {
    return bad('must be 10 or 12 digits, optionally with - or + before the last four');
  }
  const [, century, yy = '', mm = '', dd = '', separator, serial = ''] = match;
  // A samordningsnummer adds 60 to the day; the date of birth is the day without it.
  const birthDay = Number(dd) > 60 ? Number(dd) - 60 : Number(dd);
  const monthDay = `${mm}-${pad2(birthDay)}`;
  const year = century
    ? Number(`${century}${yy}`)
    : inferYear(Number(yy), monthDay, separator === '+', today);
  const twelveDigits = `${String(year).padStart(4, '0')}${mm}${dd}${serial}`;
  let parsed: InstanceType<PersonnummerClass>;
  try {
    // Given all 12 digits, the library checks the check digit and the date (31 February,
    // samordningsnummer day + 60) and decides no century from its own clock.
    parsed = Personnummer.parse(twelveDigits, {
      allowCoordinationNumber: true,
      allowInterimNumber: false,
    });
  } catch {
    return bad('is not a valid personnummer or samordningsnummer: check digit or date is wrong');
  }
  if (`${String(year).padStart(4, '0')}-${monthDay}` > today) {
    return bad('must not have a date of birth in the future');
  }
  return ok({
    personalIdentityNumber: parsed.format(true),
    kind: parsed.isCoordinationNumber() ? 'samordningsnummer' : 'personnummer',
  });
}

function checkName(value: string): FieldCheck<string> {
  // NFC, so the same name typed on different devices compares (and fingerprints) the same.
  const name = value.normalize('NFC').trim();
  if (name.length === 0) return bad('must not be empty');
  if ([...name].length > maxNameLength) {
    return bad(`must be at most ${maxNameLength} characters`);
  }
  if (forbiddenInName.test(name)) return bad('must not contain control characters or line breaks');
  return ok(name);
}

/**
 * A domain's ASCII (punycode) form, as the WHATWG URL parser gives it in browsers and Node alike;
 * null when it cannot be a host name.
 */
function asciiDomain(domain: string): string | null {
  if (notInHostName.test(domain)) return null;
  try {
    return new URL(`http://${domain}/`).hostname;
  } catch {
    return null;
  }
}

function checkEmail(value: string): FieldCheck<string> {
  const email = value.trim();
  if (email.length > maxEmailLength) return bad(`must be at most ${maxEmailLength} characters`);
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at);
  const domain = email.slice(at + 1).toLowerCase();
  const invalid = bad('must be an email address like name@example.se');
  if (at <= 0 || local.length > maxEmailLocalLength || !emailLocal.test(local)) return invalid;
  // Accepts internationalised domains (`räksmörgås.se`) by checking their ASCII form.
  const ascii = asciiDomain(domain);
  if (ascii === null) return invalid;
  const labels = ascii.split('.');
  if (labels.length < 2 || !labels.every((label) => domainLabel.test(label))) return invalid;
  if (!/^(?:[a-z]{2,}|xn--[a-z0-9-]+)$/.test(labels.at(-1)!)) return invalid;
  return ok(`${local}@${domain}`);
}

function checkPhone(value: string): FieldCheck<string> {
  const invalid = bad('must be a phone number like 070-123 45 67 or +46 70 123 45 67');
  if (!phoneCharacters.test(value.trim())) return invalid;
  // `+46 (0)70…` is a common way of writing the trunk zero that must be dropped abroad.
  const compact = value
    .trim()
    .replace(/^(\+\d{1,3})\s*\(0\)/, '$1')
    .replace(/[\s().-]/g, '');
  let e164: string;
  if (compact.startsWith('+')) e164 = compact;
  else if (compact.startsWith('00')) e164 = `+${compact.slice(2)}`;
  else if (compact.startsWith('0')) e164 = `+46${compact.slice(1)}`;
  else return bad('must start with 0 (Swedish number), 00 or + (international number)');
  // `+46070…` keeps the trunk zero by mistake; Swedish numbers never start with 0 after +46.
  if (e164.startsWith('+460')) e164 = `+46${e164.slice(4)}`;
  if (!/^\+[1-9]\d{7,14}$/.test(e164)) return bad('must have 8 to 15 digits with country code');
  return ok(e164);
}

/** A form field left empty arrives as `""`; it means "not given", like `null`. */
function optional(value: string | null | undefined): string | null {
  return value === null || value === undefined || value.trim() === '' ? null : value;
}

/**
 * Checks and normalises a patient as entered in a booking: the identity number to 12 digits,
 * names trimmed, the phone number to E.164. Reports the first bad field by its public input path
 * (`patient.personalIdentityNumber`), with a message that never repeats the value. The platform
 * runs this same check on every booking (its scheduling service imports it from
 * `@varden/booking-sdk/patient`), so a page that runs it before sending shows the platform's own
 * answer. Runs in browsers and Node alike.
 */
export function validatePatient(
  input: PatientInput,
  options: ValidatePatientOptions = {},
): PatientValidation {
  const today = swedishDate((options.now ?? Date.now)());
  const fail = (field: keyof PatientInput, message: string): PatientValidation => ({
    ok: false,
    field: `patient.${field}`,
    message,
  });

  const identity = checkIdentityNumber(input.personalIdentityNumber, today);
  if (!identity.ok) return fail('personalIdentityNumber', identity.message);
  const givenName = checkName(input.givenName);
  if (!givenName.ok) return fail('givenName', givenName.message);
  const familyName = checkName(input.familyName);
  if (!familyName.ok) return fail('familyName', familyName.message);
  const emailText = optional(input.email);
  const email = emailText === null ? ok(null) : checkEmail(emailText);
  if (!email.ok) return fail('email', email.message);
  const phoneText = optional(input.phone);
  const phone = phoneText === null ? ok(null) : checkPhone(phoneText);
  if (!phone.ok) return fail('phone', phone.message);

  return {
    ok: true,
    patient: {
      ...identity.value,
      givenName: givenName.value,
      familyName: familyName.value,
      email: email.value,
      phone: phone.value,
    },
  };
}
