import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MediaModule } from '../media/media.module';
import { ChimeAudio } from './chime-audio';
import { ChimeRenditionRecord } from './chime-rendition.entity';

/** The pre-announcement chime's audio, for whoever plays a program (import this module and inject ChimeAudio). */
@Module({
  imports: [TypeOrmModule.forFeature([ChimeRenditionRecord]), MediaModule],
  providers: [ChimeAudio],
  exports: [ChimeAudio],
})
export class ChimeModule {}
