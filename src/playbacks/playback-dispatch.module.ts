import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AirtimeModule } from '../airtime/airtime.module';
import { Bulletin } from '../bulletins/bulletin.entity';
import { ChimeModule } from '../chime/chime.module';
import { MediaModule } from '../media/media.module';
import { MediaLinks } from '../media-links/media-links.service';
import { MetricsModule } from '../metrics/metrics.module';
import { ScheduleBulletin } from '../schedules/schedule-bulletin.entity';
import { Schedule } from '../schedules/schedule.entity';
import { SecretBox } from '../security/secret-box';
import { DriverAudioCache } from '../speakers/drivers/driver-audio-cache';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakerTargets } from '../speakers/speaker-targets';
import { speakerDriverRegistryProvider } from '../speakers/speakers.module';
import { AirtimeRecorder } from './dispatch/airtime-recorder';
import { PlaybackWrites } from './dispatch/playback-writes';
import { ProgramAudio } from './dispatch/program-audio';
import { PlaybackDispatcher } from './playback-dispatcher';
import { Playback } from './playback.entity';
import { PlaybackWorker } from './playback.worker';

/** Plays due playbacks from the `playback` queue through the speakers' drivers (worker role, no controllers). */
@Module({
  imports: [TypeOrmModule.forFeature([Playback, Schedule, ScheduleBulletin, Bulletin, Speaker]), MediaModule, MetricsModule, AirtimeModule, ChimeModule],
  providers: [
    PlaybackWorker, PlaybackDispatcher, PlaybackWrites, ProgramAudio, AirtimeRecorder,
    SpeakerTargets, SecretBox, speakerDriverRegistryProvider, DriverAudioCache, MediaLinks,
  ],
})
export class PlaybackDispatchModule {}
