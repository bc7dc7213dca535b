// The shape of a tenant API key: how its secret and id are made, recognised and hashed for storage.
import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_SECRET_PREFIX = 'vap_';
/** Enough of the secret to tell keys apart in a list, too little to guess the rest. */
export const DISPLAY_PREFIX_LENGTH = 12;

const SECRET_BYTES = 32;
// 32 bytes are 43 base64url characters, without padding.
const SECRET_PATTERN = /^vap_[A-Za-z0-9_-]{43}$/;

/** `vap_` and base64url of 32 random bytes: 256 bits, so it cannot be guessed and needs no slow hash. */
export function newApiKeySecret(): string {
  return `${API_KEY_SECRET_PREFIX}${randomBytes(SECRET_BYTES).toString('base64url')}`;
}

/** `key_` and 16 hex characters: the id admins see and revoke by; it reveals nothing of the secret. */
export function newApiKeyId(): string {
  return `key_${randomBytes(8).toString('hex')}`;
}

/** True for anything that could be a secret this platform issued; anything else is refused without a lookup. */
export function isWellFormedApiKey(value: string): boolean {
  return SECRET_PATTERN.test(value);
}

/** What the table stores and looks keys up by: SHA-256 of the secret, as lower-case hex. */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

export function displayPrefix(secret: string): string {
  return secret.slice(0, DISPLAY_PREFIX_LENGTH);
}
