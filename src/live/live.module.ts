import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { PlaybackRepositoryModule } from '../playbacks/playback-repository.module';
import { LiveChanges } from './live-changes';
import { LiveController } from './live.controller';
import { LiveRecheck } from './live-recheck';

/** The console's live feed (api role): one database poller per process, fanned out as server-sent events. */
@Module({
  imports: [PlaybackRepositoryModule, AuthModule],
  controllers: [LiveController],
  providers: [LiveChanges, LiveRecheck],
})
export class LiveModule {}
