import { BadRequestException, ConflictException, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { DataSource, Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { communeScope, inScope, OutOfScopeException, villageScope } from '../auth/scope';
import { AppConfig } from '../config/app-config';
import { AirtimeCheckpoints, CheckpointExport, CheckpointView } from './airtime-checkpoints';
import { AirtimeRecord } from './airtime-record.entity';
import { AirtimeRecordView, toAirtimeRecordView } from './airtime-record-view';
import { ChainVerifier, VerificationReport } from './chain-verifier';
import { ExportCheckpointsDto } from './dto/checkpoints.dto';
import { ListAirtimeDto } from './dto/list-airtime.dto';

function checkRange(from?: string, to?: string): void {
  if (from && to && new Date(from) > new Date(to)) throw new BadRequestException('to must not be before from');
}

/** The broadcast log as callers may read it: operators their villages' records, others their communes'. */
@Injectable()
export class AirtimeService {
  private readonly verifier: ChainVerifier;

  constructor(
    @InjectRepository(AirtimeRecord) private readonly records: Repository<AirtimeRecord>,
    @InjectDataSource() dataSource: DataSource,
    private readonly checkpoints: AirtimeCheckpoints,
    config: AppConfig,
  ) {
    this.verifier = new ChainVerifier(dataSource, config.airtime.signingKey.publicKey, config.airtime.checkpointIntervalMinutes);
  }

  async list(filter: ListAirtimeDto, caller: AuthUser): Promise<Page<AirtimeRecordView>> {
    checkRange(filter.from, filter.to);
    const query = this.records.createQueryBuilder('r').orderBy('r.occurred_at', 'ASC').addOrderBy('r.commune_id', 'ASC').addOrderBy('r.seq', 'ASC');
    if (caller.role === Role.Operator) {
      const villages = villageScope(caller) ?? [];
      query.andWhere('r.village_id IN (:...villages)', { villages: villages.length ? villages : [null] });
    } else {
      const communes = communeScope(caller);
      if (communes !== null) query.andWhere('r.commune_id IN (:...communes)', { communes: communes.length ? communes : [null] });
    }
    if (filter.from) query.andWhere('r.occurred_at >= :from', { from: new Date(filter.from) });
    if (filter.to) query.andWhere('r.occurred_at < :to', { to: new Date(filter.to) });
    if (filter.communeId) query.andWhere('r.commune_id = :communeId', { communeId: filter.communeId });
    if (filter.villageId) query.andWhere('r.village_id = :villageId', { villageId: filter.villageId });
    if (filter.speakerId) query.andWhere('r.speaker_id = :speakerId', { speakerId: filter.speakerId });
    if (filter.playbackId) query.andWhere('r.playback_id = :playbackId', { playbackId: filter.playbackId });
    if (filter.evidenceLevel) query.andWhere('r.evidence_level = :level', { level: filter.evidenceLevel });
    if (filter.event) query.andWhere('r.event = :event', { event: filter.event });
    return readPage(query, filter, toAirtimeRecordView);
  }

  verify(caller: AuthUser, communeId?: string): Promise<VerificationReport> {
    return this.verifier.verify(this.communes(caller, communeId));
  }

  /** Signs the heads asked for, or none of them (409) if one does not extend its last checkpoint. */
  async writeCheckpoints(caller: AuthUser, communeId?: string): Promise<CheckpointView[]> {
    const round = await this.checkpoints.prepare(this.communes(caller, communeId), false);
    if (round.refused.length > 0) {
      const reasons = round.refused.map((refusal) => refusal.reason).join('; ');
      throw new ConflictException(
        `Nothing was signed: a checkpoint may only extend the last one, and ${reasons}. ` +
          'Check the log with GET /api/airtime/verify against the checkpoint files kept outside Loa before anything else.',
      );
    }
    return this.checkpoints.sign(round.heads);
  }

  exportCheckpoints(caller: AuthUser, filter: ExportCheckpointsDto): Promise<CheckpointExport> {
    checkRange(filter.from, filter.to);
    return this.checkpoints.export({ communeIds: this.communes(caller, filter.communeId), from: filter.from, to: filter.to, after: filter.after });
  }

  /** The communes a chain-wide action covers: the one asked for (404 outside the caller's scope) or all of theirs. */
  private communes(caller: AuthUser, communeId?: string): string[] | null {
    const scope = communeScope(caller);
    if (!communeId) return scope;
    if (!inScope(scope, communeId)) throw new OutOfScopeException('No such commune');
    return [communeId];
  }
}
