import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MediaModule } from '../media/media.module';
import { AudioWorker } from './audio.worker';
import { BulletinRenderer } from './bulletin-renderer';
import { Bulletin } from './bulletin.entity';

/** Renders uploaded bulletins from the `audio` queue (worker role). */
@Module({
  imports: [TypeOrmModule.forFeature([Bulletin]), MediaModule],
  providers: [BulletinRenderer, AudioWorker],
})
export class BulletinProcessingModule {}
