import { Module } from '@nestjs/common';
import { AirtimeLedger } from './airtime-ledger';
import { GroupCommitAirtimeLedger } from './group-commit-ledger';

/**
 * The broadcast log's writer, for any module that records what happened to a playback (the worker's dispatch, the
 * API's operator confirmations). Imported by several modules, it is still one ledger (one queue) per process.
 */
@Module({
  providers: [{ provide: AirtimeLedger, useClass: GroupCommitAirtimeLedger }],
  exports: [AirtimeLedger],
})
export class AirtimeModule {}
