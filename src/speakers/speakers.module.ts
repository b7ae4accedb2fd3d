import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunesModule } from '../communes/communes.module';
import { AppConfig } from '../config/app-config';
import { SecretBox } from '../security/secret-box';
import { SpeakerDriverRegistry } from './drivers/drivers';
import { SpeakerHealthMonitor } from './health/health-monitor';
import { SpeakerHealthService } from './health/speaker-health.service';
import { SpeakerHealthCheck } from './speaker-health-check.entity';
import { Speaker } from './speaker.entity';
import { SpeakerTargets } from './speaker-targets';
import { SpeakersController } from './speakers.controller';
import { SpeakersService } from './speakers.service';

export const speakerDriverRegistryProvider = {
  provide: SpeakerDriverRegistry,
  inject: [AppConfig],
  useFactory: (config: AppConfig) =>
    SpeakerDriverRegistry.create({
      limits: { connectTimeoutMs: config.speakers.connectTimeoutMs, responseTimeoutMs: config.speakers.responseTimeoutMs },
      deviceTimeScale: config.speakers.timeScale,
    }),
};

/** The speaker registry and its health (api role). */
@Module({
  imports: [TypeOrmModule.forFeature([Speaker, SpeakerHealthCheck]), CommunesModule],
  controllers: [SpeakersController],
  providers: [SpeakersService, SpeakerHealthService, SpeakerHealthMonitor, SpeakerTargets, SecretBox, speakerDriverRegistryProvider],
  exports: [SpeakersService, SpeakerHealthService, SpeakerTargets, SpeakerDriverRegistry],
})
export class SpeakersModule {}
