import { BadRequestException, Injectable } from '@nestjs/common';
import { DateTime } from 'luxon';
import { AuthUser } from '../auth/auth-user';
import { Role } from '../auth/role';
import { communeScope, villageScope } from '../auth/scope';
import { decodeCursor, encodeCursor } from '../common/keyset-cursor';
import { ListPlaybacksDto } from './dto/list-playbacks.dto';
import { Playback } from './playback.entity';
import { PlaybackRepository } from './playback-repository';
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
  constructor(private readonly playbacks: PlaybackRepository) {}

  async list(filter: ListPlaybacksDto, caller: AuthUser): Promise<PlaybackPage> {
    const operator = caller.role === Role.Operator;
    let { from, to } = filter;
    if (filter.date === 'today') {
      if (from || to) throw new BadRequestException('give either date=today or from/to, not both');
      const start = DateTime.now().setZone(TODAY_ZONE).startOf('day');
      from = start.toISO()!;
      to = start.plus({ days: 1 }).toISO()!;
    }
    if (from && to && new Date(from) > new Date(to)) throw new BadRequestException('to must not be before from');
    const byProblem = filter.problem === 'true';
    const rows = await this.playbacks.page({
      villageScope: operator ? (villageScope(caller) ?? []) : null,
      communeScope: operator ? null : communeScope(caller),
      from: from ? new Date(from) : undefined,
      to: to ? new Date(to) : undefined,
      scheduleId: filter.scheduleId,
      villageId: filter.villageId,
      status: filter.status,
      problem: filter.problem ? filter.problem === 'true' : undefined,
      confirmed: filter.confirmed ? filter.confirmed === 'true' : undefined,
      after: filter.after ? decodeCursor(filter.after) : null,
      limit: filter.limit + 1,
    });
    // Problems are watched as they come in: the latest report first (see PlaybackRepository.page).
    const sortedAt = (playback: Playback) => (byProblem ? playback.problemReportedAt! : playback.scheduledAt);
    const items = rows.slice(0, filter.limit);
    const last = items[items.length - 1];
    return { items: items.map(toPlaybackView), next: rows.length > filter.limit ? encodeCursor({ at: sortedAt(last), id: last.id }) : null };
  }
}
