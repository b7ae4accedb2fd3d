import { Module } from '@nestjs/common';
import { MediaModule } from '../media/media.module';
import { DriverAudioCache } from '../speakers/drivers/driver-audio-cache';
import { MediaLinks } from './media-links.service';

/** Audio for devices: per-driver variants of renditions, and the signed links gateways fetch them by. */
@Module({
  imports: [MediaModule],
  providers: [MediaLinks, DriverAudioCache],
  exports: [MediaLinks, DriverAudioCache],
})
export class MediaLinksModule {}
