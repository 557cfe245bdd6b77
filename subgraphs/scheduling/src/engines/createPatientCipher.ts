import { createCipheriv, createDecipheriv, createHmac, hkdfSync, randomBytes } from 'node:crypto';

/** Seals patient data for storage and compares it without keeping it in the clear. */
export interface PatientCipher {
  /** JSON-serialises `value` and encrypts it: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. */
  encrypt(value: unknown): string;
  /** Decrypts what `encrypt` sealed; throws when it was altered or sealed with another key. */
  decrypt<T>(sealed: string): T;
  /** A keyed hash (hex) of `value`: equal for equal inputs under one key, useless without it. */
  fingerprint(value: string): string;
}

const version = 'v1';
const keyBytes = 32;
// 96 bits is GCM's native IV size; random per message, so a key can seal about 2^32 messages
// before an IV collision becomes a real risk, far more than patient bookings.
const ivBytes = 12;
const tagBytes = 16;
const base64 = /^[A-Za-z0-9+/]+={0,2}$/;
const base64url = /^[A-Za-z0-9_-]*$/;

function decodeKey(keyBase64: string): Buffer {
  const text = keyBase64.trim();
  // Buffer.from skips characters that are not base64, so a mistyped key would decode silently.
  const key = base64.test(text) ? Buffer.from(text, 'base64') : Buffer.alloc(0);
  if (key.length !== keyBytes) {
    // The message never contains the key: it ends up in logs when a service fails to start.
    throw new Error(
      `The patient data key must be ${keyBytes} bytes encoded as base64 (generate one with ` +
        '`openssl rand -base64 32`).',
    );
  }
  return key;
}

function decodePart(part: string | undefined, length?: number): Buffer | undefined {
  if (part === undefined || !base64url.test(part)) return undefined;
  const bytes = Buffer.from(part, 'base64url');
  return length === undefined || bytes.length === length ? bytes : undefined;
}

const cannotDecrypt = () =>
  new Error('Patient data could not be decrypted: it was altered or sealed with another key.');

/**
 * AES-256-GCM for patient data at rest and HMAC-SHA256 fingerprints to recognise a repeated
 * request by its inputs. `keyBase64` is 32 random bytes in base64; the fingerprint key is derived
 * from it with HKDF, so one secret serves both without reusing a key for two purposes.
 */
export function createPatientCipher(keyBase64: string): PatientCipher {
  const key = decodeKey(keyBase64);
  const fingerprintKey = Buffer.from(
    hkdfSync('sha256', key, Buffer.alloc(0), 'fingerprint', keyBytes),
  );

  return {
    encrypt(value) {
      const plaintext = JSON.stringify(value) as string | undefined;
      // `undefined`, functions and symbols have no JSON form; sealing them would lose the value.
      if (plaintext === undefined)
        throw new TypeError('Only JSON-serialisable values can be sealed.');
      const iv = randomBytes(ivBytes);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
      // The version is authenticated too, so a sealed value cannot be relabelled as another format.
      cipher.setAAD(Buffer.from(version));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const tag = cipher.getAuthTag();
      return [version, iv, tag, ciphertext]
        .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
        .join('.');
    },

    decrypt<T>(sealed: string): T {
      const [label, ivPart, tagPart, dataPart, ...extra] = sealed.split('.');
      const iv = decodePart(ivPart, ivBytes);
      const tag = decodePart(tagPart, tagBytes);
      const ciphertext = decodePart(dataPart);
      if (label !== version || extra.length > 0 || !iv || !tag || !ciphertext) {
        throw new Error(`Patient data is not sealed in the ${version} format.`);
      }
      const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: tagBytes });
      decipher.setAAD(Buffer.from(version));
      decipher.setAuthTag(tag);
      let plaintext: string;
      try {
        plaintext = Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString('utf8');
      } catch {
        throw cannotDecrypt();
      }
      return JSON.parse(plaintext) as T;
    },

    fingerprint(value) {
      return createHmac('sha256', fingerprintKey).update(value, 'utf8').digest('hex');
    },
  };
}
