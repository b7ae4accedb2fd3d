import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { MediaModule } from '../media/media.module';
import { Commune } from '../communes/commune.entity';
import { TopicsModule } from '../topics/topics.module';
import { AudioInspector } from './audio-inspector';
import { AudioJobs } from './audio-jobs';
import { BulletinIntakeService } from './bulletin-intake.service';
import { Bulletin } from './bulletin.entity';
import { BulletinsController } from './bulletins.controller';
import { BulletinsService } from './bulletins.service';
import { BulletinWithdrawals } from './bulletin-withdrawals';
import { ProcessingRecovery } from './processing-recovery';

/** The bulletin library's HTTP side (api role). */
@Module({
  imports: [TypeOrmModule.forFeature([Bulletin, Commune]), MediaModule, TopicsModule],
  controllers: [BulletinsController],
  providers: [BulletinsService, BulletinWithdrawals, BulletinIntakeService, AudioInspector, AudioJobs, ProcessingRecovery],
  exports: [BulletinsService, BulletinWithdrawals],
})
export class BulletinsModule {}
