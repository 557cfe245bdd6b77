/**
 * Whether a value is a 12-digit personnummer with a correct Luhn check digit over its last ten
 * digits: the identity `RIVTA_SEARCH_SUBJECT_OF_CARE` names is sent in every read, and a producer
 * refuses a malformed one, so a typo must stop the service at start rather than fail every search.
 */
export function isPersonnummer(value: string): boolean {
  if (!/^\d{12}$/.test(value)) return false;
  const digits = value.slice(2).split('').map(Number);
  const sum = digits.slice(0, 9).reduce((total, digit, index) => {
    const product = index % 2 === 0 ? digit * 2 : digit;
    return total + (product > 9 ? product - 9 : product);
  }, 0);
  return (10 - (sum % 10)) % 10 === digits[9];
}
