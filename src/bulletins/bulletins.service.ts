import { ConflictException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { Page, readPage } from '../database/page';
import { containsPattern } from '../database/query-helpers';
import { AuthUser } from '../auth/auth-user';
import { communeScope, inScope, OutOfScopeException } from '../auth/scope';
import { allowedFrom, BulletinAction, BulletinStatus, IllegalTransitionError, nextStatus } from './bulletin-status';
import { Bulletin } from './bulletin.entity';
import { BulletinWithdrawals } from './bulletin-withdrawals';
import { ListBulletinsDto } from './dto/list-bulletins.dto';

/** Reads the library and moves bulletins through their approval states. */
@Injectable()
export class BulletinsService {
  constructor(
    @InjectRepository(Bulletin) private readonly bulletins: Repository<Bulletin>,
    private readonly withdrawals: BulletinWithdrawals,
  ) {}

  async list(filter: ListBulletinsDto, caller: AuthUser): Promise<Page<Bulletin>> {
    const query = this.bulletins.createQueryBuilder('b').leftJoinAndSelect('b.topic', 'topic');
    const scope = communeScope(caller);
    if (scope !== null) query.andWhere('b.commune_id IN (:...scope)', { scope: scope.length ? scope : [null] });
    if (filter.communeId) query.andWhere('b.commune_id = :communeId', { communeId: filter.communeId });
    if (filter.status) query.andWhere('b.status = :status', { status: filter.status });
    if (filter.topic) query.andWhere('b.topic_id = :topic', { topic: filter.topic });
    if (filter.q) query.andWhere('unaccent(b.title) ILIKE unaccent(:q)', { q: containsPattern(filter.q) });
    return readPage(query.orderBy('b.createdAt', 'DESC').addOrderBy('b.id', 'ASC'), filter);
  }

  /** The bulletin, or the same 404 whether it does not exist or belongs to a commune outside the caller's scope. */
  async get(id: string, caller: AuthUser): Promise<Bulletin> {
    const bulletin = await this.bulletins.findOne({ where: { id }, relations: { topic: true } });
    if (!bulletin || !inScope(communeScope(caller), bulletin.communeId)) throw new OutOfScopeException(`No bulletin has id ${id}`);
    return bulletin;
  }

  findByOriginal(communeId: string, sha256: string): Promise<Bulletin | null> {
    return this.bulletins.findOneBy({ communeId, originalSha256: sha256 });
  }

  approve(id: string, caller: AuthUser): Promise<Bulletin> {
    return this.transition(id, caller, BulletinAction.Approve, { statusReason: null, approvedAt: new Date(), reviewedBy: caller.id });
  }

  /** Rejects the bulletin; the schedules naming it are held and nothing of them waits, before this answers. */
  async reject(id: string, reason: string, caller: AuthUser): Promise<Bulletin> {
    const bulletin = await this.transition(id, caller, BulletinAction.Reject, { statusReason: reason.trim(), approvedAt: null, reviewedBy: caller.id });
    await this.withdrawals.publish({ bulletinId: id, communeId: bulletin.communeId, status: BulletinStatus.Rejected });
    return bulletin;
  }

  /** Archives the bulletin; like a rejection, the schedules naming it are held before this answers. */
  async archive(id: string, caller: AuthUser): Promise<Bulletin> {
    const bulletin = await this.transition(id, caller, BulletinAction.Archive, {});
    await this.withdrawals.publish({ bulletinId: id, communeId: bulletin.communeId, status: BulletinStatus.Archived });
    return bulletin;
  }

  /** Applies a transition atomically: the row is locked so two approvers cannot race each other. */
  private async transition(id: string, caller: AuthUser, action: BulletinAction, changes: Partial<Bulletin>): Promise<Bulletin> {
    await this.bulletins.manager.transaction(async (manager) => {
      const bulletin = await manager.findOne(Bulletin, { where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!bulletin || !inScope(communeScope(caller), bulletin.communeId)) throw new OutOfScopeException(`No bulletin has id ${id}`);
      let status: BulletinStatus;
      try {
        status = nextStatus(bulletin.status, action);
      } catch (error) {
        if (!(error instanceof IllegalTransitionError)) throw error;
        throw new ConflictException(`${error.message}; only a bulletin that is ${allowedFrom(action).join(' or ')} can`);
      }
      await manager.update(Bulletin, { id }, { ...changes, status });
    });
    return this.get(id, caller);
  }
}
