import { Module } from '@nestjs/common';
import { AudioStore } from '../storage/audio-store';
import { FfmpegAdapter } from './ffmpeg.adapter';

@Module({
  providers: [FfmpegAdapter, AudioStore],
  exports: [FfmpegAdapter, AudioStore],
})
export class MediaModule {}
