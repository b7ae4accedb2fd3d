import { Module } from '@nestjs/common';
import { PlaybackRepositoryModule } from '../playbacks/playback-repository.module';
import { LiveChanges } from './live-changes';
import { LiveController } from './live.controller';

/** The console's live feed (api role): one database poller per process, fanned out as server-sent events. */
@Module({
  imports: [PlaybackRepositoryModule],
  controllers: [LiveController],
  providers: [LiveChanges],
})
export class LiveModule {}
