import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AirtimeModule } from '../airtime/airtime.module';
import { Schedule } from '../schedules/schedule.entity';
import { SchedulesModule } from '../schedules/schedules.module';
import { AirtimeRecorder } from './dispatch/airtime-recorder';
import { PlaybackPlanner } from './playback-planner';
import { Playback } from './playback.entity';
import { PlaybacksController } from './playbacks.controller';
import { PlaybacksService } from './playbacks.service';
import { OperatorReports } from './operator-reports';
import { RedisLossReplanner } from './redis-loss-replanner';
import { ScheduleReplanner } from './schedule-replanner';

/** Playbacks: the planner that makes and queues them, and their reading API (api role). */
@Module({
  imports: [TypeOrmModule.forFeature([Playback, Schedule]), SchedulesModule, AirtimeModule],
  controllers: [PlaybacksController],
  providers: [PlaybacksService, OperatorReports, PlaybackPlanner, ScheduleReplanner, RedisLossReplanner, AirtimeRecorder],
  exports: [PlaybackPlanner],
})
export class PlaybacksModule {}
