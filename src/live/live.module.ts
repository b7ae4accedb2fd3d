import { Module } from '@nestjs/common';
import { LiveChanges } from './live-changes';
import { LiveController } from './live.controller';

/** The console's live feed (api role): one database poller per process, fanned out as server-sent events. */
@Module({
  controllers: [LiveController],
  providers: [LiveChanges],
})
export class LiveModule {}
