import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { BulletinsModule } from '../bulletins/bulletins.module';
import { Schedule } from '../schedules/schedule.entity';
import { SchedulesModule } from '../schedules/schedules.module';
import { PlaybackAirtimeModule } from './dispatch/playback-airtime.module';
import { PlaybackPlanner } from './playback-planner';
import { PlaybackRepositoryModule } from './playback-repository.module';
import { PlaybacksController } from './playbacks.controller';
import { PlaybacksService } from './playbacks.service';
import { OperatorReports } from './operator-reports';
import { RedisLossReplanner } from './redis-loss-replanner';
import { ScheduleReplanner } from './schedule-replanner';

/** Playbacks: the planner that makes and queues them, and their reading API (api role). */
@Module({
  imports: [TypeOrmModule.forFeature([Schedule]), BulletinsModule, SchedulesModule, PlaybackAirtimeModule, PlaybackRepositoryModule],
  controllers: [PlaybacksController],
  providers: [PlaybacksService, OperatorReports, PlaybackPlanner, ScheduleReplanner, RedisLossReplanner],
  exports: [PlaybackPlanner],
})
export class PlaybacksModule {}
