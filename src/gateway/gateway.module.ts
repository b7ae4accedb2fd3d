import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Speaker } from '../speakers/speaker.entity';
import { SpeakersModule } from '../speakers/speakers.module';
import { GatewayEventRecord } from './gateway-event-record.entity';
import { GatewayEventsController } from './gateway-events.controller';
import { GatewayEventsService } from './gateway-events.service';

/** Where HTTP gateways report on the playbacks Loa sent them. */
@Module({
  imports: [TypeOrmModule.forFeature([Speaker, GatewayEventRecord]), SpeakersModule],
  controllers: [GatewayEventsController],
  providers: [GatewayEventsService],
})
export class GatewayModule {}
