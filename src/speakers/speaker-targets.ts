import { Injectable } from '@nestjs/common';
import { SecretBox } from '../security/secret-box';
import { SpeakerDriverRegistry } from './drivers/drivers';
import { DriverTarget, SpeakerDriver } from './drivers/speaker-driver';
import { Speaker } from './speaker.entity';

/** A speaker's driver and what that driver needs to reach it (settings, decrypted secrets). */
@Injectable()
export class SpeakerTargets {
  constructor(
    private readonly drivers: SpeakerDriverRegistry,
    private readonly secrets: SecretBox,
  ) {}

  resolve(speaker: Speaker): { driver: SpeakerDriver; target: DriverTarget } {
    return {
      driver: this.drivers.get(speaker.driver),
      target: { settings: speaker.settings, secrets: speaker.secretsSealed ? this.secrets.open(speaker.secretsSealed) : {} },
    };
  }
}
