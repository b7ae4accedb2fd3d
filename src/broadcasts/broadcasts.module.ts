import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Playback } from '../playbacks/playback.entity';
import { PlaybacksModule } from '../playbacks/playbacks.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { SecretBox } from '../security/secret-box';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakerTargets } from '../speakers/speaker-targets';
import { speakerDriverRegistryProvider } from '../speakers/speakers.module';
import { BroadcastsController } from './broadcasts.controller';
import { BroadcastsService } from './broadcasts.service';

/** Emergency broadcasts (api role): create, plan at once, stop. */
@Module({
  imports: [TypeOrmModule.forFeature([Playback, Speaker]), SchedulesModule, PlaybacksModule],
  controllers: [BroadcastsController],
  providers: [BroadcastsService, SpeakerTargets, SecretBox, speakerDriverRegistryProvider],
})
export class BroadcastsModule {}
