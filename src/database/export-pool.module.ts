import { Module } from '@nestjs/common';
import { ExportPool } from './export-pool';

/** Provides the one export pool; reports import this module. */
@Module({ providers: [ExportPool], exports: [ExportPool] })
export class ExportPoolModule {}
