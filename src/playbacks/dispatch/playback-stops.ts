import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Speaker } from '../../speakers/speaker.entity';
import { SpeakerTargets } from '../../speakers/speaker-targets';
import { PlaybackFailureCode } from '../playback-failure';
import { PlaybackRepository } from '../playback-repository';
import { SpeakerLeases } from '../speaker-lease';

/**
 * Takes the speaker from a playback on air, as the dispatcher does: recorded `preempted` first (so the holder's
 * later writes are refused), then its driver told to stop (which cuts at once a transmit this process holds), then
 * its lease revoked (a worker in another process sees the loss and drops the transmit itself).
 */
@Injectable()
export class PlaybackStops {
  private readonly logger = new Logger(PlaybackStops.name);

  constructor(
    private readonly playbacks: PlaybackRepository,
    private readonly leases: SpeakerLeases,
    private readonly targets: SpeakerTargets,
    @InjectRepository(Speaker) private readonly speakers: Repository<Speaker>,
  ) {}

  async stop(playback: { id: string; speakerId: string }, reason: PlaybackFailureCode): Promise<void> {
    await this.playbacks.preemptOnAir(playback.id, reason);
    const speaker = await this.speakers.findOneBy({ id: playback.speakerId });
    if (speaker) {
      const { driver, target } = this.targets.resolve(speaker);
      await driver.stop(target, playback.id).catch((error: unknown) => this.logger.warn({ err: error, playbackId: playback.id }, 'Could not stop a playback'));
    }
    await this.leases.revoke(playback.speakerId, playback.id);
  }
}
