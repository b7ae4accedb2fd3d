import { Module } from '@nestjs/common';
import { AirtimeModule } from '../../airtime/airtime.module';
import { AirtimeRecorder } from './airtime-recorder';

/** What happens to playbacks, appended to the broadcast log: one recorder (one batch) per process, for the planner and the dispatcher. */
@Module({
  imports: [AirtimeModule],
  providers: [AirtimeRecorder],
  exports: [AirtimeRecorder],
})
export class PlaybackAirtimeModule {}
