import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Bulletin } from '../bulletins/bulletin.entity';
import { Commune } from '../communes/commune.entity';
import { Village } from '../communes/village.entity';
import { Speaker } from '../speakers/speaker.entity';
import { ScheduleBulletin } from './schedule-bulletin.entity';
import { ScheduleChanges } from './schedule-changes';
import { ScheduleComposer } from './schedule-composer';
import { ScheduleOccurrences } from './schedule-occurrences';
import { ScheduleHolds } from './schedule-holds';
import { ScheduleQuarantine } from './schedule-quarantine';
import { ScheduleSpeakers } from './schedule-speakers';
import { ScheduleTarget } from './schedule-target.entity';
import { Schedule } from './schedule.entity';
import { SchedulesController } from './schedules.controller';
import { SchedulesService } from './schedules.service';
import { RecurrenceModule } from './recurrence.module';
import { ScheduleTimingCheck } from './timing-check';

/** Schedules: what plays, where and when (api role). The planner builds on ScheduleSpeakers and recurrence.ts. */
@Module({
  imports: [TypeOrmModule.forFeature([Schedule, ScheduleBulletin, ScheduleTarget, Bulletin, Commune, Village, Speaker]), RecurrenceModule],
  controllers: [SchedulesController],
  providers: [SchedulesService, ScheduleComposer, ScheduleOccurrences, ScheduleSpeakers, ScheduleChanges, ScheduleTimingCheck, ScheduleQuarantine, ScheduleHolds],
  exports: [SchedulesService, ScheduleSpeakers, ScheduleChanges, ScheduleQuarantine, ScheduleHolds, RecurrenceModule],
})
export class SchedulesModule {}
