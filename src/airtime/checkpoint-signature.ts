import { KeyObject, sign, verify } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { AirtimeSigningKey } from './signing-key';

/** What a checkpoint states; the signature covers exactly canonicalJson(checkpointStatement(...)). */
export interface CheckpointClaim {
  communeId: string;
  length: number;
  headHash: string;
  signedAt: string;
}

export function checkpointStatement(claim: CheckpointClaim): string {
  return canonicalJson({ kind: 'loa-airtime-checkpoint', communeId: claim.communeId, length: claim.length, headHash: claim.headHash, signedAt: claim.signedAt });
}

export function signCheckpoint(key: AirtimeSigningKey, claim: CheckpointClaim): string {
  return sign(null, Buffer.from(checkpointStatement(claim)), key.privateKey).toString('base64');
}

/** Whether `signature` is this public key's Ed25519 signature of the claim (false for any other key). */
export function checkpointSignedBy(publicKey: KeyObject, claim: CheckpointClaim, signature: string): boolean {
  try {
    return verify(null, Buffer.from(checkpointStatement(claim)), publicKey, Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
