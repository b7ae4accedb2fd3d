import { Module } from '@nestjs/common';
import { RecurrenceEngine } from './recurrence-engine';

/** One pool of recurrence threads per process, for whoever expands schedules (the API's checks and previews, the planner). */
@Module({
  providers: [RecurrenceEngine],
  exports: [RecurrenceEngine],
})
export class RecurrenceModule {}
