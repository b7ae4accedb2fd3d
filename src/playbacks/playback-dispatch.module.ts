import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { ChimeModule } from '../chime/chime.module';
import { MediaModule } from '../media/media.module';
import { MediaLinksModule } from '../media-links/media-links.module';
import { MetricsModule } from '../metrics/metrics.module';
import { ScheduleBulletin } from '../schedules/schedule-bulletin.entity';
import { Schedule } from '../schedules/schedule.entity';
import { SpeakerDriversModule } from '../speakers/drivers/speaker-drivers.module';
import { Speaker } from '../speakers/speaker.entity';
import { PlaybackAirtimeModule } from './dispatch/playback-airtime.module';
import { PlaybackStops } from './dispatch/playback-stops';
import { PlaybackWrites } from './dispatch/playback-writes';
import { ProgramApproval } from './dispatch/program-approval';
import { ProgramAudio } from './dispatch/program-audio';
import { PlaybackDispatcher } from './playback-dispatcher';
import { PlaybackRepositoryModule } from './playback-repository.module';
import { SpeakerLeasesModule } from './speaker-leases.module';

/**
 * Drives speakers for playbacks: the dispatcher the `playback` queue's worker runs, and the stop that takes a speaker
 * from a playback on air (emergency broadcasts). Its drivers, leases and writes are the process's only ones.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([Schedule, ScheduleBulletin, Bulletin, Speaker]),
    MediaModule,
    MediaLinksModule,
    MetricsModule,
    ChimeModule,
    PlaybackAirtimeModule,
    SpeakerDriversModule,
    SpeakerLeasesModule,
    PlaybackRepositoryModule,
  ],
  providers: [PlaybackDispatcher, PlaybackWrites, ProgramAudio, ProgramApproval, PlaybackStops],
  exports: [PlaybackDispatcher, PlaybackStops],
})
export class PlaybackDispatchModule {}
