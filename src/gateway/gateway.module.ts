import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakerDriversModule } from '../speakers/drivers/speaker-drivers.module';
import { GatewayEventRecord } from './gateway-event-record.entity';
import { GatewayEventsController } from './gateway-events.controller';
import { GatewayEventsService } from './gateway-events.service';

/** Where HTTP gateways report on the playbacks Loa sent them. */
@Module({
  imports: [TypeOrmModule.forFeature([Speaker, GatewayEventRecord]), SpeakerDriversModule],
  controllers: [GatewayEventsController],
  providers: [GatewayEventsService],
})
export class GatewayModule {}
