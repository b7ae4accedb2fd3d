import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { MediaModule } from '../media/media.module';
import { MediaLinks } from '../media-links/media-links.service';
import { ScheduleBulletin } from '../schedules/schedule-bulletin.entity';
import { SecretBox } from '../security/secret-box';
import { DriverAudioCache } from '../speakers/drivers/driver-audio-cache';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakerTargets } from '../speakers/speaker-targets';
import { speakerDriverRegistryProvider } from '../speakers/speakers.module';
import { PlaybackDispatcher } from './playback-dispatcher';
import { Playback } from './playback.entity';
import { PlaybackWorker } from './playback.worker';

/** Plays due playbacks from the `playback` queue through the speakers' drivers (worker role, no controllers). */
@Module({
  imports: [TypeOrmModule.forFeature([Playback, ScheduleBulletin, Bulletin, Speaker]), MediaModule],
  providers: [PlaybackWorker, PlaybackDispatcher, SpeakerTargets, SecretBox, speakerDriverRegistryProvider, DriverAudioCache, MediaLinks],
})
export class PlaybackDispatchModule {}
