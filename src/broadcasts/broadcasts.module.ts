import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Playback } from '../playbacks/playback.entity';
import { PlaybackDispatchModule } from '../playbacks/playback-dispatch.module';
import { PlaybacksModule } from '../playbacks/playbacks.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { BroadcastsController } from './broadcasts.controller';
import { BroadcastsService } from './broadcasts.service';

/** Emergency broadcasts (api role): create, plan at once, stop through the dispatcher's stop. */
@Module({
  imports: [TypeOrmModule.forFeature([Playback]), SchedulesModule, PlaybacksModule, PlaybackDispatchModule],
  controllers: [BroadcastsController],
  providers: [BroadcastsService],
})
export class BroadcastsModule {}
