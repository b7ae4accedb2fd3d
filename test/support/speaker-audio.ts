import { INestApplication } from '@nestjs/common';
import { AppConfig } from '../../src/config/app-config';
import { FfmpegAdapter } from '../../src/media/ffmpeg.adapter';
import { DriverAudioCache } from '../../src/speakers/drivers/driver-audio-cache';
import { AudioStore } from '../../src/storage/audio-store';

/**
 * The application's DriverAudioCache, or one built from the application's own config, ffmpeg adapter and
 * audio store while no module provides it yet (the variants it makes land in the same place either way).
 */
export function driverAudioCacheOf(app: INestApplication): DriverAudioCache {
  try {
    return app.get(DriverAudioCache, { strict: false });
  } catch {
    return new DriverAudioCache(app.get(AppConfig), app.get(FfmpegAdapter), app.get(AudioStore));
  }
}
