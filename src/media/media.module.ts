import { Module } from '@nestjs/common';
import { AudioStore } from '../storage/audio-store';
import { FfmpegAdapter } from './ffmpeg.adapter';
import { LoudnessPipeline } from './loudness-pipeline';

@Module({
  providers: [FfmpegAdapter, AudioStore, LoudnessPipeline],
  exports: [FfmpegAdapter, AudioStore, LoudnessPipeline],
})
export class MediaModule {}
