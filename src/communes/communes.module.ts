import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Commune } from './commune.entity';
import { CommunesController, VillagesController } from './communes.controller';
import { CommunesService } from './communes.service';
import { Village } from './village.entity';

@Module({
  imports: [TypeOrmModule.forFeature([Commune, Village])],
  controllers: [CommunesController, VillagesController],
  providers: [CommunesService],
  exports: [CommunesService],
})
export class CommunesModule {}
