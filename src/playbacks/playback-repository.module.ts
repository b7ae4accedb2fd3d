import { Module } from '@nestjs/common';
import { PlaybackRepository } from './playback-repository';

/** The `playbacks` table's one owner, provided once: every module that reads or writes playbacks imports this one. */
@Module({
  providers: [PlaybackRepository],
  exports: [PlaybackRepository],
})
export class PlaybackRepositoryModule {}
