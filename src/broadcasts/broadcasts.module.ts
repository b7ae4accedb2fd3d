import { Module } from '@nestjs/common';
import { PlaybackDispatchModule } from '../playbacks/playback-dispatch.module';
import { PlaybackRepositoryModule } from '../playbacks/playback-repository.module';
import { PlaybacksModule } from '../playbacks/playbacks.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { BroadcastsController } from './broadcasts.controller';
import { BroadcastsService } from './broadcasts.service';

/** Emergency broadcasts (api role): create, plan at once, stop through the dispatcher's stop. */
@Module({
  imports: [SchedulesModule, PlaybacksModule, PlaybackDispatchModule, PlaybackRepositoryModule],
  controllers: [BroadcastsController],
  providers: [BroadcastsService],
})
export class BroadcastsModule {}
