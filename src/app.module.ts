import { DynamicModule, Module, Type } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { InputModule } from './common/input.module';
import { AppConfig } from './config/app-config';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { LoggingModule } from './logging/logging.module';
import { QueueModule } from './queue/queue.module';
import { BulletinProcessingModule } from './bulletins/bulletin-processing.module';
import { BulletinsModule } from './bulletins/bulletins.module';
import { TopicsModule } from './topics/topics.module';
import { AuditModule } from './audit/audit.module';
import { AirtimeApiModule } from './airtime/airtime-api.module';
import { AuthModule } from './auth/auth.module';
import { CommunesModule } from './communes/communes.module';
import { RedisClientModule } from './queue/redis-client';
import { GatewayModule } from './gateway/gateway.module';
import { LiveModule } from './live/live.module';
import { MediaLinksApiModule } from './media-links/media-links-api.module';
import { MetricsApiModule } from './metrics/metrics-api.module';
import { PlaybackWorkerModule } from './playbacks/playback-worker.module';
import { PlaybacksModule } from './playbacks/playbacks.module';
import { BroadcastsModule } from './broadcasts/broadcasts.module';
import { SchedulesModule } from './schedules/schedules.module';
import { SpeakersModule } from './speakers/speakers.module';
import { UsersModule } from './users/users.module';
import { ReportsModule } from './reports/reports.module';

/** HTTP API: controllers and the producers behind them. */
const API_MODULES: Type[] = [
  RedisClientModule,
  AuditModule,
  AuthModule,
  UsersModule,
  CommunesModule,
  SpeakersModule,
  MediaLinksApiModule,
  GatewayModule,
  HealthModule,
  TopicsModule,
  BulletinsModule,
  SchedulesModule,
  PlaybacksModule,
  BroadcastsModule,
  MetricsApiModule,
  AirtimeApiModule,
  LiveModule,
  ReportsModule,
];
/** Queue consumers. */
const WORKER_MODULES: Type[] = [BulletinProcessingModule, PlaybackWorkerModule];

/** Composes the process for its role: `api`, `worker`, or `all` (both, for a single machine). */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        // First: its guard must run before every other global guard.
        InputModule,
        ConfigModule.forRoot(config),
        LoggingModule,
        // Every periodic timer (planner tick, checkpoints, health sweep, live feed) is registered in its SchedulerRegistry.
        ScheduleModule.forRoot(),
        DatabaseModule,
        QueueModule,
        ...(config.runsApi ? API_MODULES : []),
        ...(config.runsWorkers ? WORKER_MODULES : []),
      ],
    };
  }
}
