import { Module } from '@nestjs/common';
import { AudioStore } from '../storage/audio-store';
import { TemporaryFileSweeper } from '../storage/temporary-file-sweeper';
import { FfmpegAdapter } from './ffmpeg.adapter';
import { LoudnessPipeline } from './loudness-pipeline';

@Module({
  providers: [FfmpegAdapter, AudioStore, TemporaryFileSweeper, LoudnessPipeline],
  exports: [FfmpegAdapter, AudioStore, LoudnessPipeline],
})
export class MediaModule {}
