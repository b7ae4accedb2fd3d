import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AirtimeCheckpoint } from './airtime-checkpoint.entity';
import { AirtimeMetrics } from '../metrics/airtime-metrics';
import { AirtimeChainHead, AirtimeLedger } from './airtime-ledger';
import { CheckpointRefusal, headsThatDoNotExtend } from './checkpoint-continuity';
import { signCheckpoint } from './checkpoint-signature';

/** Most checkpoints one export answers; the rest follow with `after=<next>`. */
export const MAX_EXPORTED_CHECKPOINTS = 10_000;

export interface CheckpointView {
  id: string;
  communeId: string;
  length: number;
  headHash: string;
  signedAt: string;
  keyId: string;
  signature: string;
}

/** Checkpoints as a self-contained file: what they state, their signatures, and the key to check them with. */
export interface CheckpointExport {
  format: 'loa-airtime-checkpoints/1';
  algorithm: 'Ed25519';
  /** How each signature was made. */
  signs: string;
  keyId: string;
  publicKey: string;
  exportedAt: string;
  checkpoints: CheckpointView[];
  /** More checkpoints match: ask again with `after` set to this; null when this file holds the last of them. */
  next: string | null;
}

export interface CheckpointFilter {
  communeIds: string[] | null;
  from?: string;
  to?: string;
  /** Only checkpoints after this one (the `next` of a previous export). */
  after?: string;
}

const toView = (row: AirtimeCheckpoint): CheckpointView => ({
  id: row.id,
  communeId: row.communeId,
  length: Number(row.length),
  headHash: row.headHash,
  signedAt: row.signedAt.toISOString(),
  keyId: row.keyId,
  signature: row.signature,
});

/** The heads a signing round may sign, and the communes whose head it must not (with the alarm already raised). */
export interface CheckpointRound {
  heads: AirtimeChainHead[];
  refused: CheckpointRefusal[];
}

/**
 * Signs the heads of the communes' chains, only where they extend the last checkpoint (raising the alarm where they
 * do not), and exports the signed checkpoints for safe keeping elsewhere.
 */
@Injectable()
export class AirtimeCheckpoints {
  private readonly logger = new Logger(AirtimeCheckpoints.name);

  constructor(
    @InjectRepository(AirtimeCheckpoint) private readonly checkpoints: Repository<AirtimeCheckpoint>,
    private readonly ledger: AirtimeLedger,
    private readonly config: AppConfig,
    private readonly metrics: AirtimeMetrics,
  ) {}

  /**
   * The current heads of each commune's chain (every commune when `communeIds` is null) that a checkpoint may state.
   * Communes without records are left out; with `onlyChanged`, so are those whose latest checkpoint by this key
   * already states the head. A head that does not extend the commune's last checkpoint is refused: logged as an
   * error and counted in loa_airtime_checkpoints_refused_total.
   */
  async prepare(communeIds: string[] | null, onlyChanged: boolean): Promise<CheckpointRound> {
    const key = this.config.airtime.signingKey;
    const communes = communeIds ?? ((await this.checkpoints.query('SELECT id::text AS id FROM communes')) as Array<{ id: string }>).map((row) => row.id);
    const heads = (await this.ledger.heads(communes)).filter((head) => head.length > 0);
    const refused = await headsThatDoNotExtend(this.checkpoints.manager, key, heads);
    for (const refusal of refused) {
      this.metrics.checkpointsRefused.inc();
      this.logger.error({ communeId: refusal.communeId }, `Airtime checkpoint refused, the broadcast log was altered: ${refusal.reason}`);
    }
    const blocked = new Set(refused.map((refusal) => refusal.communeId));
    const latest = onlyChanged ? await this.latestByCommune(heads.map((head) => head.communeId)) : new Map<string, AirtimeCheckpoint>();
    const toSign = heads.filter((head) => {
      const last = latest.get(head.communeId);
      return !blocked.has(head.communeId) && (!last || last.keyId !== key.keyId || Number(last.length) !== head.length || last.headHash !== head.headHash);
    });
    return { heads: toSign, refused };
  }

  /** Signs and stores one checkpoint per head (heads from prepare()). */
  async sign(heads: AirtimeChainHead[]): Promise<CheckpointView[]> {
    if (heads.length === 0) return [];
    const key = this.config.airtime.signingKey;
    const signedAt = new Date();
    const rows = heads.map((head) =>
      this.checkpoints.create({
        communeId: head.communeId,
        length: String(head.length),
        headHash: head.headHash,
        signedAt,
        keyId: key.keyId,
        signature: signCheckpoint(key, { communeId: head.communeId, length: head.length, headHash: head.headHash, signedAt: signedAt.toISOString() }),
      }),
    );
    return (await this.checkpoints.save(rows)).map(toView);
  }

  async export(filter: CheckpointFilter): Promise<CheckpointExport> {
    const query = this.checkpoints
      .createQueryBuilder('c')
      .orderBy('c.id', 'ASC')
      .take(MAX_EXPORTED_CHECKPOINTS + 1);
    if (filter.after) query.andWhere('c.id > :after', { after: filter.after });
    if (filter.communeIds !== null) query.andWhere('c.commune_id IN (:...communes)', { communes: filter.communeIds.length ? filter.communeIds : [null] });
    if (filter.from) query.andWhere('c.signed_at >= :from', { from: new Date(filter.from) });
    if (filter.to) query.andWhere('c.signed_at < :to', { to: new Date(filter.to) });
    const rows = await query.getMany();
    const more = rows.length > MAX_EXPORTED_CHECKPOINTS;
    const checkpoints = rows.slice(0, MAX_EXPORTED_CHECKPOINTS).map(toView);
    const key = this.config.airtime.signingKey;
    return {
      format: 'loa-airtime-checkpoints/1',
      algorithm: 'Ed25519',
      signs: 'canonical JSON (keys sorted, no spaces) of {kind:"loa-airtime-checkpoint", communeId, length, headHash, signedAt}',
      keyId: key.keyId,
      publicKey: key.publicKeyPem,
      exportedAt: new Date().toISOString(),
      checkpoints,
      next: more ? checkpoints[checkpoints.length - 1].id : null,
    };
  }

  private async latestByCommune(communeIds: string[]): Promise<Map<string, AirtimeCheckpoint>> {
    if (communeIds.length === 0) return new Map();
    const rows = await this.checkpoints
      .createQueryBuilder('c')
      .distinctOn(['c.commune_id'])
      .where('c.commune_id IN (:...communeIds)', { communeIds })
      .orderBy('c.commune_id')
      .addOrderBy('c.id', 'DESC')
      .getMany();
    return new Map(rows.map((row) => [row.communeId, row]));
  }
}
