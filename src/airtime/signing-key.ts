import { createHash, createPrivateKey, createPublicKey, KeyObject } from 'node:crypto';

/** PKCS8 DER prefix of an Ed25519 private key; the 32-byte seed follows. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The checkpoint signing key: its private half signs, its public half (and id) travel with every export. */
export interface AirtimeSigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** First 16 hex digits of the SHA-256 of the public key (SPKI DER): names the key in checkpoints. */
  keyId: string;
  publicKeyPem: string;
}

export function signingKeyFrom(privateKey: KeyObject): AirtimeSigningKey {
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, keyId: publicKeyId(publicKey), publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

export function publicKeyId(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Reads `AIRTIME_SIGNING_KEY`: an Ed25519 private key in PKCS8, either PEM (newlines may be written `\n`) or the
 * base64 of its DER on one line (the PEM body). Throws a message that says how to make one.
 */
export function parseSigningKey(text: string): AirtimeSigningKey {
  const howTo = 'AIRTIME_SIGNING_KEY must be an Ed25519 private key in PKCS8, PEM or base64 DER (openssl genpkey -algorithm ed25519)';
  let key: KeyObject;
  try {
    const pem = text.replace(/\\n/g, '\n').trim();
    key = pem.startsWith('-----BEGIN')
      ? createPrivateKey({ key: pem, format: 'pem' })
      : createPrivateKey({ key: Buffer.from(pem.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(howTo);
  }
  if (key.asymmetricKeyType !== 'ed25519') throw new Error(`${howTo}; this is a ${key.asymmetricKeyType} key`);
  return signingKeyFrom(key);
}

/** Ed25519 key from a 32-byte seed (the development key, and tests' "other" keys). */
export function signingKeyFromSeed(seed: Buffer): AirtimeSigningKey {
  return signingKeyFrom(createPrivateKey({ key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }));
}

/** A fixed, publicly known key for development machines: checkpoints survive restarts but prove nothing. */
export function developmentSigningKey(): AirtimeSigningKey {
  return signingKeyFromSeed(createHash('sha256').update('loa-development-airtime-signing-key').digest());
}
