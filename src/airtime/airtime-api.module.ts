import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MetricsModule } from '../metrics/metrics.module';
import { AirtimeCheckpoint } from './airtime-checkpoint.entity';
import { AirtimeCheckpoints } from './airtime-checkpoints';
import { AirtimeRecord } from './airtime-record.entity';
import { AirtimeController } from './airtime.controller';
import { AirtimeModule } from './airtime.module';
import { AirtimeService } from './airtime.service';
import { AirtimeCheckpointTimer } from './checkpoint-timer';

/** The broadcast log's API (reading, verifying, checkpoints) and the periodic checkpoints (api role). */
@Module({
  imports: [TypeOrmModule.forFeature([AirtimeRecord, AirtimeCheckpoint]), AirtimeModule, MetricsModule],
  controllers: [AirtimeController],
  providers: [AirtimeService, AirtimeCheckpoints, AirtimeCheckpointTimer],
})
export class AirtimeApiModule {}
