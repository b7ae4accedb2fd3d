import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { communeScope, villageScope } from '../auth/scope';
import { decodeCursor, encodeCursor } from '../common/keyset-cursor';
import { ListPlaybacksDto } from './dto/list-playbacks.dto';
import { Playback } from './playback.entity';
import { PlaybackView, toPlaybackView } from './playback-view';

const TODAY_ZONE = 'Asia/Ho_Chi_Minh';

/** One page of playbacks; `next` is null on the last page. */
export interface PlaybackPage {
  items: PlaybackView[];
  /** Pass as `after` (with the same filters) for the next page; null when this page is the last. */
  next: string | null;
}

/** Reads playbacks: operators see their villages', everyone else their communes'. */
@Injectable()
export class PlaybacksService {
  constructor(@InjectRepository(Playback) private readonly playbacks: Repository<Playback>) {}

  async list(filter: ListPlaybacksDto, caller: AuthUser): Promise<PlaybackPage> {
    const query = this.playbacks.createQueryBuilder('p');
    if (caller.role === Role.Operator) {
      const villages = villageScope(caller) ?? [];
      query.andWhere('p.village_id IN (:...villages)', { villages: villages.length ? villages : [null] });
    } else {
      const communes = communeScope(caller);
      if (communes !== null) query.andWhere('p.commune_id IN (:...communes)', { communes: communes.length ? communes : [null] });
    }
    let { from, to } = filter;
    if (filter.date === 'today') {
      if (from || to) throw new BadRequestException('give either date=today or from/to, not both');
      const start = DateTime.now().setZone(TODAY_ZONE).startOf('day');
      from = start.toISO()!;
      to = start.plus({ days: 1 }).toISO()!;
    }
    if (from) query.andWhere('p.scheduled_at >= :from', { from: new Date(from) });
    if (to) query.andWhere('p.scheduled_at < :to', { to: new Date(to) });
    if (from && to && new Date(from) > new Date(to)) throw new BadRequestException('to must not be before from');
    if (filter.scheduleId) query.andWhere('p.schedule_id = :scheduleId', { scheduleId: filter.scheduleId });
    if (filter.villageId) query.andWhere('p.village_id = :villageId', { villageId: filter.villageId });
    if (filter.status) query.andWhere('p.status = :status', { status: filter.status });
    if (filter.problem) query.andWhere(`p.problem_reported_at IS ${filter.problem === 'true' ? 'NOT ' : ''}NULL`);
    if (filter.confirmed) query.andWhere(`p.confirmed_at IS ${filter.confirmed === 'true' ? 'NOT ' : ''}NULL`);
    // Problems are watched as they come in: the latest report first. Either order ends with the id, so pages never overlap.
    const byProblem = filter.problem === 'true';
    const sortedAt = (playback: Playback) => (byProblem ? playback.problemReportedAt! : playback.scheduledAt);
    if (byProblem) query.orderBy('p.problem_reported_at', 'DESC').addOrderBy('p.id', 'ASC');
    else query.orderBy('p.scheduled_at', 'ASC').addOrderBy('p.id', 'ASC');
    const after = filter.after ? decodeCursor(filter.after) : null;
    if (after && byProblem) {
      query.andWhere('(p.problem_reported_at < :afterAt OR (p.problem_reported_at = :afterAt AND p.id > :afterId))', { afterAt: after.at, afterId: after.id });
    } else if (after) {
      query.andWhere('(p.scheduled_at, p.id) > (:afterAt, :afterId)', { afterAt: after.at, afterId: after.id });
    }
    const rows = await query.take(filter.limit + 1).getMany();
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return { items: items.map(toPlaybackView), next: rows.length > filter.limit ? encodeCursor({ at: sortedAt(last), id: last.id }) : null };
  }
}
