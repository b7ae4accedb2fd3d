import { Module } from '@nestjs/common';
import { AppConfig } from '../../config/app-config';
import { SecurityModule } from '../../security/security.module';
import { SpeakerTargets } from '../speaker-targets';
import { SpeakerDriverRegistry } from './drivers';

/**
 * The speaker drivers and what reaches a speaker through them. One registry per process, whoever imports this
 * module (API, dispatcher, broadcasts, health): a driver's `stop` then reaches the transmit the same process holds.
 */
@Module({
  imports: [SecurityModule],
  providers: [
    {
      provide: SpeakerDriverRegistry,
      inject: [AppConfig],
      useFactory: (config: AppConfig) =>
        SpeakerDriverRegistry.create({
          limits: {
            connectTimeoutMs: config.speakers.connectTimeoutMs,
            responseTimeoutMs: config.speakers.responseTimeoutMs,
            allowLoopback: config.speakers.allowLoopback,
          },
          deviceTimeScale: config.speakers.timeScale,
        }),
    },
    SpeakerTargets,
  ],
  exports: [SpeakerDriverRegistry, SpeakerTargets],
})
export class SpeakerDriversModule {}
