import { DateTime } from 'luxon';

/**
 * Whether a 12-character subject of care id (already matching the schema's pattern) is a real
 * personnummer or samordningsnummer: an existing birth date (the day plus 60 for a
 * samordningsnummer) and a correct Luhn check digit over the last ten digits. Reserve numbers
 * (a letter in the ninth place, allowed by the schema) have no check digit and are accepted.
 */
export function isValidSubjectOfCareId(id: string): boolean {
  if (!/^\d{8}[0-9pPtTfF]\d{3}$/.test(id)) return false;
  if (!/^\d{12}$/.test(id)) return true;
  const year = Number(id.slice(0, 4));
  const month = Number(id.slice(4, 6));
  let day = Number(id.slice(6, 8));
  if (day > 60) day -= 60;
  if (!DateTime.fromObject({ year, month, day }).isValid) return false;
  const digits = id.slice(2).split('').map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, index) => {
    const product = index % 2 === 0 ? digit * 2 : digit;
    return total + (product > 9 ? product - 9 : product);
  }, 0);
  return (10 - (sum % 10)) % 10 === digits[9];
}
