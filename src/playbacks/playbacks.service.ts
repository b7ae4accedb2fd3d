import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import { Repository } from 'typeorm';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { communeScope, villageScope } from '../auth/scope';
import { ListPlaybacksDto } from './dto/list-playbacks.dto';
import { Playback } from './playback.entity';
import { PlaybackView, toPlaybackView } from './playback-view';

const TODAY_ZONE = 'Asia/Ho_Chi_Minh';
const MAX_ROWS = 5000;

/** Reads playbacks: operators see their villages', everyone else their communes'. */
@Injectable()
export class PlaybacksService {
  constructor(@InjectRepository(Playback) private readonly playbacks: Repository<Playback>) {}

  async list(filter: ListPlaybacksDto, caller: AuthUser): Promise<PlaybackView[]> {
    const query = this.playbacks.createQueryBuilder('p').orderBy('p.scheduled_at', 'ASC').addOrderBy('p.id', 'ASC').take(MAX_ROWS);
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
    // Problems are watched as they come in: the latest report first.
    if (filter.problem === 'true') query.orderBy('p.problem_reported_at', 'DESC').addOrderBy('p.id', 'ASC');
    return (await query.getMany()).map(toPlaybackView);
  }
}
