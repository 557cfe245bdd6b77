import { createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPatientCipher } from '../src/engines/createPatientCipher.js';

const key = randomBytes(32).toString('base64');
const otherKey = randomBytes(32).toString('base64');

const patient = {
  personalIdentityNumber: '199001010017',
  givenName: 'Åsa',
  familyName: 'Testsson',
  email: null,
};

/** Flips one bit of one base64url part of a sealed value. */
function flipBit(sealed: string, partIndex: number): string {
  const parts = sealed.split('.');
  const bytes = Buffer.from(parts[partIndex]!, 'base64url');
  bytes.writeUInt8(bytes.readUInt8(0) ^ 1, 0);
  parts[partIndex] = bytes.toString('base64url');
  return parts.join('.');
}

describe('createPatientCipher', () => {
  it('round-trips a patient through encrypt and decrypt', () => {
    const cipher = createPatientCipher(key);
    const sealed = cipher.encrypt(patient);
    expect(sealed).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(sealed).not.toContain('199001010017');
    expect(sealed).not.toContain('Testsson');
    expect(cipher.decrypt<typeof patient>(sealed)).toEqual(patient);
    expect(cipher.decrypt<string>(cipher.encrypt('Åsa'))).toBe('Åsa');
  });

  it('seals the same input differently every time', () => {
    const cipher = createPatientCipher(key);
    const sealed = new Set(Array.from({ length: 20 }, () => cipher.encrypt(patient)));
    expect(sealed.size).toBe(20);
    const ivs = new Set([...sealed].map((s) => s.split('.')[1]));
    expect(ivs.size).toBe(20);
  });

  it.each([
    ['iv', 1],
    ['tag', 2],
    ['ciphertext', 3],
  ])('detects tampering with the %s', (_part, index) => {
    const cipher = createPatientCipher(key);
    const sealed = cipher.encrypt(patient);
    expect(() => cipher.decrypt(flipBit(sealed, index))).toThrow(/altered or sealed with another/);
  });

  it('rejects a relabelled version, a truncated tag and malformed input', () => {
    const cipher = createPatientCipher(key);
    const sealed = cipher.encrypt(patient);
    const [, iv, tag, data] = sealed.split('.');
    expect(() => cipher.decrypt(`v2.${iv}.${tag}.${data}`)).toThrow(/v1 format/);
    expect(() => cipher.decrypt(`v1.${iv}.${tag!.slice(0, 8)}.${data}`)).toThrow(/v1 format/);
    expect(() => cipher.decrypt(`${sealed}.extra`)).toThrow(/v1 format/);
    expect(() => cipher.decrypt('not sealed at all')).toThrow(/v1 format/);
    expect(() => cipher.decrypt(`v1.${iv}.${tag}.${data}!`)).toThrow(/v1 format/);
  });

  it('refuses to decrypt with another key', () => {
    const sealed = createPatientCipher(key).encrypt(patient);
    expect(() => createPatientCipher(otherKey).decrypt(sealed)).toThrow(
      /altered or sealed with another key/,
    );
  });

  it('fingerprints stably under one key and differently under another', () => {
    const cipher = createPatientCipher(key);
    const input = JSON.stringify(patient);
    const fingerprint = cipher.fingerprint(input);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(createPatientCipher(key).fingerprint(input)).toBe(fingerprint);
    expect(cipher.fingerprint(`${input} `)).not.toBe(fingerprint);
    expect(createPatientCipher(otherKey).fingerprint(input)).not.toBe(fingerprint);
  });

  it('does not use the encryption key itself as the fingerprint key', () => {
    const plainHmac = createHmac('sha256', Buffer.from(key, 'base64')).update('x').digest('hex');
    expect(createPatientCipher(key).fingerprint('x')).not.toBe(plainHmac);
  });

  it.each([
    ['16 bytes', randomBytes(16).toString('base64')],
    ['33 bytes', randomBytes(33).toString('base64')],
    ['an empty string', ''],
    ['32 characters of text', 'this-is-not-a-key-of-32-bytes!!!'],
    ['base64 with a stray character', `${key.slice(0, 10)}!${key.slice(10)}`],
  ])('refuses a key of %s, without repeating it', (_scenario, badKey) => {
    let message = '';
    try {
      createPatientCipher(badKey);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/must be 32 bytes encoded as base64/);
    if (badKey !== '') expect(message).not.toContain(badKey);
  });

  it('refuses to seal a value that has no JSON form', () => {
    expect(() => createPatientCipher(key).encrypt(undefined)).toThrow(TypeError);
  });
});
