import { Module } from '@nestjs/common';
import { PlaybackRepositoryModule } from '../playbacks/playback-repository.module';
import { MetricsController } from './metrics.controller';
import { MetricsModule } from './metrics.module';
import { PlaybackGauges } from './playback-gauges';
import { ScheduleGauges } from './schedule-gauges';

/** GET /api/metrics (api role): this process's registry, with the dispatcher's instruments when it also runs the workers. */
@Module({
  imports: [MetricsModule, PlaybackRepositoryModule],
  controllers: [MetricsController],
  providers: [PlaybackGauges, ScheduleGauges],
})
export class MetricsApiModule {}
