import { Module } from '@nestjs/common';
import { SecretBox } from './secret-box';

/** Secrets at rest (device passwords, gateway keys): one SecretBox per process, for whoever seals or opens them. */
@Module({
  providers: [SecretBox],
  exports: [SecretBox],
})
export class SecurityModule {}
