import { Module } from '@nestjs/common';
import { PlaybackAirtimeModule } from './dispatch/playback-airtime.module';
import { PlaybackDispatchModule } from './playback-dispatch.module';
import { PlaybackWorker } from './playback.worker';
import { SpeakerLeasesModule } from './speaker-leases.module';

/** Plays due playbacks from the `playback` queue through the dispatcher (worker role, no controllers). */
@Module({
  imports: [PlaybackDispatchModule, PlaybackAirtimeModule, SpeakerLeasesModule],
  providers: [PlaybackWorker],
})
export class PlaybackWorkerModule {}
