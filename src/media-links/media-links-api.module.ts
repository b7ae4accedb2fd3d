import { Module } from '@nestjs/common';
import { MediaLinksController } from './media-links.controller';
import { MediaLinksModule } from './media-links.module';

/** GET /api/media/:token (api role): where gateways fetch the audio a signed link names. */
@Module({
  imports: [MediaLinksModule],
  controllers: [MediaLinksController],
})
export class MediaLinksApiModule {}
