import { Injectable } from '@nestjs/common';
import argon2 from 'argon2';

/** OWASP's minimum for argon2id: 19 MiB of memory, 2 passes, 1 lane. */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

@Injectable()
export class PasswordHasher {
  hash(password: string): Promise<string> {
    return argon2.hash(password, ARGON2_OPTIONS);
  }

  async verify(hash: string, password: string): Promise<boolean> {
    try {
      return await argon2.verify(hash, password);
    } catch {
      return false;
    }
  }

  private readonly decoy = argon2.hash('not-a-real-password', ARGON2_OPTIONS);

  /** Does the work of a verification for a username that does not exist, so timing does not tell which ones do. */
  async verifyUnknownUser(password: string): Promise<false> {
    await this.verify(await this.decoy, password);
    return false;
  }
}
