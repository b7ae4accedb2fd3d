import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { CommunesModule } from '../communes/communes.module';
import { SecurityModule } from '../security/security.module';
import { SpeakerDriversModule } from './drivers/speaker-drivers.module';
import { SpeakerHealthMonitor } from './health/health-monitor';
import { SpeakerHealthService } from './health/speaker-health.service';
import { SpeakerHealthCheck } from './speaker-health-check.entity';
import { Speaker } from './speaker.entity';
import { SpeakersController } from './speakers.controller';
import { SpeakersService } from './speakers.service';

/** The speaker registry and its health (api role). */
@Module({
  imports: [TypeOrmModule.forFeature([Speaker, SpeakerHealthCheck]), CommunesModule, SecurityModule, SpeakerDriversModule],
  controllers: [SpeakersController],
  providers: [SpeakersService, SpeakerHealthService, SpeakerHealthMonitor],
  exports: [SpeakersService, SpeakerHealthService],
})
export class SpeakersModule {}
